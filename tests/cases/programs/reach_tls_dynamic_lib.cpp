// The module of reach_tls_dynamic: loaded with dlopen, so its __thread variable lives in dynamic
// TLS (a block the C library allocates on the thread's first access, found through the thread's
// DTV), not in the static TLS block. Built without leakguard.
static __thread void* t_value;

extern "C" __attribute__((visibility("default"))) void reach_tls_set(void* p) { t_value = p; }
extern "C" __attribute__((visibility("default"))) void* reach_tls_get() { return t_value; }
