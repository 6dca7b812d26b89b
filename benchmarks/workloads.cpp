// The whole-program workloads (see workloads.hpp and README.md). Each is sized to take about one
// second of CPU time in the plain build on the reference machine (a 2.5 GHz Xeon); the size can
// be given on the command line.
#include "workloads.hpp"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench_common.hpp"

#if defined(__has_include)
#if __has_include(<nlohmann/json.hpp>)
#include <nlohmann/json.hpp>
#define LEAKGUARD_BENCH_HAVE_JSON 1
#endif
#endif

namespace workloads {
namespace {

// ring: N allocations into a ring of 4096 live blocks of random sizes 16-512 bytes; each step
// reads the oldest block, frees it, allocates a new one and writes it.
std::uint64_t run_ring(std::uint64_t n) {
    constexpr std::size_t ring_size = 4096;
    bench::rng rng(42);
    std::vector<char*> ring(ring_size, nullptr);
    std::uint64_t sum = 0;
    std::size_t slot = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        char*& p = ring[slot];
        if (p) {
            std::uint64_t v;
            std::memcpy(&v, p, sizeof v);
            sum += v;
            delete[] p;
        }
        p = new char[rng.between(bench::min_block, bench::max_block)];
        std::memcpy(p, &i, sizeof i);
        slot = (slot + 1) & (ring_size - 1);
    }
    for (char* p : ring) delete[] p;
    return sum;
}

// map: N operations on a std::map<int, std::string> of up to 65,536 keys: look a random key up;
// erase it when present, else insert it with a string of 0-47 characters (longer than 15: one
// more allocation).
std::uint64_t run_map(std::uint64_t n) {
    bench::rng rng(7);
    std::map<int, std::string> m;
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        int const key = static_cast<int>(rng.next() & 0xFFFF);
        auto it = m.find(key);
        if (it != m.end()) {
            sum += it->second.size();
            m.erase(it);
        } else {
            std::size_t const len = rng.between(0, 47);
            m.emplace(key, std::string(len, static_cast<char>('a' + len % 26)));
        }
    }
    return sum + m.size();
}

// umap: an index from 50,000 keys to growing vectors (std::unordered_map<uint32_t,
// std::vector<uint32_t>>): each of N steps appends to a random key's vector (which reallocates
// as it doubles); a vector that reaches its key's limit (1-64 entries) is summed and its key
// erased; every 2^20 steps the whole index is dropped and grows again from empty (bucket array
// rehashes included).
std::uint64_t run_umap(std::uint64_t n) {
    bench::rng rng(11);
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> index;
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint32_t const key = rng.next() % 50000;
        std::vector<std::uint32_t>& v = index[key];
        v.push_back(static_cast<std::uint32_t>(i));
        if (v.size() >= 1 + key % 64) {
            for (std::uint32_t x : v) sum += x;
            index.erase(key);
        }
        if ((i & 0xFFFFF) == 0xFFFFF) {
            sum += index.size();
            std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>().swap(index);
        }
    }
    return sum + index.size();
}

#if LEAKGUARD_BENCH_HAVE_JSON
// json: N rounds of building a document of 12,000 records (about 2.3 MB as text) with
// nlohmann::json, dumping it to a string, and parsing the string back.
nlohmann::json build_document(bench::rng& rng, std::size_t records) {
    nlohmann::json doc;
    doc["version"] = 3;
    doc["generator"] = "leakguard benchmarks";
    nlohmann::json& items = doc["items"] = nlohmann::json::array();
    for (std::size_t i = 0; i < records; ++i) {
        nlohmann::json item;
        item["id"] = i;
        item["name"] = "record number " + std::to_string(i);
        item["price"] = static_cast<double>(rng.next() % 100000) / 100.0;
        item["in_stock"] = (rng.next() & 1) != 0;
        nlohmann::json tags = nlohmann::json::array();
        for (std::size_t t = 0, nt = rng.between(0, 5); t < nt; ++t)
            tags.push_back("tag-" + std::to_string(rng.next() % 100));
        item["tags"] = std::move(tags);
        item["dimensions"] = {{"width", rng.next() % 1000},
                              {"height", rng.next() % 1000},
                              {"label", std::string(rng.between(8, 40), static_cast<char>('a' + i % 26))}};
        items.push_back(std::move(item));
    }
    return doc;
}

std::uint64_t run_json(std::uint64_t n) {
    bench::rng rng(5);
    std::uint64_t sum = 0;
    for (std::uint64_t round = 0; round < n; ++round) {
        std::string text;
        {
            nlohmann::json const doc = build_document(rng, 12000);
            text = doc.dump();
        }
        nlohmann::json const parsed = nlohmann::json::parse(text);
        sum += text.size();
        for (const auto& item : parsed["items"]) sum += item["tags"].size() + item["id"].get<std::uint64_t>();
    }
    return sum;
}
#endif

// prodcons: a producer thread builds N messages (a struct with a 16-100 character string and a
// vector of 1-16 numbers: 2-3 allocations) and hands them over in batches of 64 through a
// bounded queue (mutex + condition variables, at most 16 batches waiting) to a consumer thread,
// which reads and destroys them: every block is freed by the thread that did not allocate it.
struct message {
    std::uint64_t id;
    std::string text;
    std::vector<std::uint32_t> values;
};
using batch = std::vector<std::unique_ptr<message>>;

struct batch_queue {
    std::mutex lock;
    std::condition_variable not_empty, not_full;
    std::deque<batch> batches;
    bool done = false;
    static constexpr std::size_t capacity = 16;

    void push(batch b) {
        std::unique_lock<std::mutex> hold(lock);
        not_full.wait(hold, [this] { return batches.size() < capacity; });
        batches.push_back(std::move(b));
        not_empty.notify_one();
    }
    void finish() {
        std::lock_guard<std::mutex> hold(lock);
        done = true;
        not_empty.notify_one();
    }
    bool pop(batch& out) {
        std::unique_lock<std::mutex> hold(lock);
        not_empty.wait(hold, [this] { return !batches.empty() || done; });
        if (batches.empty()) return false;
        out = std::move(batches.front());
        batches.pop_front();
        not_full.notify_one();
        return true;
    }
};

std::uint64_t run_prodcons(std::uint64_t n) {
    constexpr std::size_t batch_size = 64;
    batch_queue queue;
    std::uint64_t consumed = 0;
    std::thread consumer([&queue, &consumed] {
        batch b;
        while (queue.pop(b)) {
            for (const auto& m : b) consumed += m->id + m->text.size() + m->values.size();
            b.clear(); // the messages die here, on the consumer thread
        }
    });
    bench::rng rng(3);
    batch b;
    b.reserve(batch_size);
    for (std::uint64_t i = 0; i < n; ++i) {
        std::unique_ptr<message> m(new message);
        m->id = i;
        m->text.assign(rng.between(16, 100), static_cast<char>('a' + i % 26));
        m->values.assign(rng.between(1, 16), static_cast<std::uint32_t>(i));
        b.push_back(std::move(m));
        if (b.size() == batch_size) {
            queue.push(std::move(b));
            b = batch();
            b.reserve(batch_size);
        }
    }
    if (!b.empty()) queue.push(std::move(b));
    queue.finish();
    consumer.join();
    return consumed;
}

// pairs: N bare new/delete pairs of 64 bytes: the allocator's fixed cost and nothing else.
struct block64 {
    unsigned char bytes[64];
};

std::uint64_t run_pairs(std::uint64_t n) {
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        block64* volatile p = new block64; // volatile: the pair must happen, in every build
        p->bytes[i & 63] = static_cast<unsigned char>(i);
        sum += p->bytes[i & 63];
        delete p;
    }
    return sum;
}

const workload g_all[] = {
    {"ring", 20000000, run_ring, false, "ring of 4,096 live blocks of 16-512 bytes, oldest freed"},
    {"map", 1500000, run_map, false, "std::map<int, std::string> insert/erase churn"},
    {"umap", 3000000, run_umap, false, "std::unordered_map of growing std::vectors"},
#if LEAKGUARD_BENCH_HAVE_JSON
    {"json", 5, run_json, false, "nlohmann::json: build, dump, parse a 2.3 MB document"},
#endif
    {"prodcons", 3000000, run_prodcons, true, "producer/consumer threads, freed on the other thread"},
    {"pairs", 30000000, run_pairs, false, "bare new/delete of 64 bytes"},
};

} // namespace

const workload* all(std::size_t& count) {
    count = sizeof g_all / sizeof g_all[0];
    return g_all;
}

const workload* find(const char* name) {
    for (const workload& w : g_all)
        if (std::strcmp(w.name, name) == 0) return &w;
    return nullptr;
}

} // namespace workloads
