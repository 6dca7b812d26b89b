// examples/gtest_lru_cache - a tiny LRU cache tested with GoogleTest and leakguard's adapter.
//
// The cache's evict() forgets to delete the evicted node when EXAMPLE_LEAK=1 is set in the
// environment (a stand-in for the bug you would really have). Run:
//     ./gtest_lru_cache                 # all tests pass
//     EXAMPLE_LEAK=1 ./gtest_lru_cache  # LruCache.EvictsOldest fails, naming the leaked node's site
#include <gtest/gtest.h>
#define LEAKGUARD_MAIN
#include <leakguard/gtest.hpp>

#include <cstdlib>
#include <string>
#include <unordered_map>

namespace {

bool leak_on_purpose() {
    const char* v = std::getenv("EXAMPLE_LEAK");
    return v && v[0] == '1';
}

class lru_cache {
public:
    explicit lru_cache(std::size_t capacity) : capacity_(capacity) {}
    ~lru_cache() {
        while (head_) {
            node* next = head_->next;
            delete head_;
            head_ = next;
        }
    }
    lru_cache(const lru_cache&) = delete;
    lru_cache& operator=(const lru_cache&) = delete;

    void put(const std::string& key, int value) {
        auto it = index_.find(key);
        if (it != index_.end()) {
            it->second->value = value;
            touch(it->second);
            return;
        }
        if (index_.size() == capacity_) evict();
        node* n = new node{key, value, nullptr, head_};
        if (head_) head_->prev = n;
        head_ = n;
        if (!tail_) tail_ = n;
        index_[key] = n;
    }

    const int* get(const std::string& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        touch(it->second);
        return &it->second->value;
    }

    std::size_t size() const { return index_.size(); }

private:
    struct node {
        std::string key;
        int value;
        node* prev;
        node* next;
    };

    void unlink(node* n) {
        (n->prev ? n->prev->next : head_) = n->next;
        (n->next ? n->next->prev : tail_) = n->prev;
        n->prev = n->next = nullptr;
    }
    void touch(node* n) {
        unlink(n);
        n->next = head_;
        if (head_) head_->prev = n;
        head_ = n;
        if (!tail_) tail_ = n;
    }
    void evict() {
        node* victim = tail_;
        unlink(victim);
        index_.erase(victim->key);
        if (!leak_on_purpose()) delete victim; // the bug: the node is dropped, never freed
    }

    std::size_t capacity_;
    node* head_ = nullptr;
    node* tail_ = nullptr;
    std::unordered_map<std::string, node*> index_;
};

} // namespace

TEST(LruCache, StoresAndFinds) {
    LEAKGUARD_SCOPE();
    lru_cache cache(4);
    cache.put("alpha", 1);
    cache.put("beta", 2);
    ASSERT_NE(cache.get("alpha"), nullptr);
    EXPECT_EQ(*cache.get("alpha"), 1);
    EXPECT_EQ(cache.get("gamma"), nullptr);
}

TEST(LruCache, EvictsOldest) {
    LEAKGUARD_SCOPE("eviction");
    lru_cache cache(2);
    cache.put("a key long enough to need its own heap block", 1);
    cache.put("second", 2);
    cache.put("third", 3); // evicts the first
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.get("a key long enough to need its own heap block"), nullptr);
}

TEST(LruCache, UpdateKeepsSize) {
    LEAKGUARD_SCOPE();
    lru_cache cache(2);
    cache.put("k", 1);
    cache.put("k", 2);
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(*cache.get("k"), 2);
}
