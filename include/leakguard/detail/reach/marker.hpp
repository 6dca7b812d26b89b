// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/marker.hpp: valgrind's marking rules, over the block index.
//
// From the roots (and the blocks that are roots of their own), every aligned pointer-sized word
// is looked up:
//   - a start pointer (or an interior pointer one of valgrind's heuristics accepts) from a root or
//     from a reachable block makes the block reachable;
//   - an interior pointer, or any pointer from a block that is only possibly reachable, makes an
//     unreached block possibly lost;
// and each block whose state rises is scanned (again). Then every block still unreached heads a
// clique: what it reaches that is still unreached (start or interior pointer alike) becomes
// indirectly lost and its bytes are added to the head's, a former head passing its own on. Heads
// are taken in address order, so in an unreferenced cycle the lowest block stays definitely lost
// and the rest are indirect - valgrind's clique leader.
#ifndef LEAKGUARD_DETAIL_REACH_MARKER_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_MARKER_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t, std::uint32_t

#include "../config.hpp"
#include "../core/pages.hpp"
#include "block_index.hpp"
#include "heuristics.hpp"
#include "memory_map.hpp"

namespace leakguard {
namespace detail {

class marker {
public:
    marker(block_index& index, const memory_map& map) noexcept
        : index_(index), map_(map), stack_{nullptr, 0, 0}, held_{nullptr, 0, 0}, ok_(stack_.reserve(index.size() + 1)),
          words_(0) {}
    ~marker() {
        stack_.release();
        held_.release();
    }
    marker(const marker&) = delete;
    marker& operator=(const marker&) = delete;

    bool ok() const noexcept { return ok_; }
    std::uint64_t words_scanned() const noexcept { return words_; }

    // A word found in a root (a register, a stack, a global) or in a block.
    LEAKGUARD_DETAIL_ALWAYS_INLINE void consider(std::uintptr_t w, bool prior_definite) noexcept {
        long const i = index_.find(w);
        if (i >= 0) reach(static_cast<std::size_t>(i), w, prior_definite);
    }

    // Every aligned word of [begin, end): memory the caller proved readable.
    LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY void scan(std::uintptr_t begin, std::uintptr_t end,
                                                  bool prior_definite) noexcept {
        constexpr std::uintptr_t w = sizeof(std::uintptr_t);
        std::uintptr_t p = (begin + w - 1) & ~(w - 1);
        std::uintptr_t const last = end & ~(w - 1);
        words_ += p < last ? (last - p) / w : 0;
        for (; p < last; p += w) consider(*reinterpret_cast<const std::uintptr_t*>(p), prior_definite);
    }

    // A block that is a root of its own (ignored, or the loader's): scanned as a root is.
    void root_block(std::size_t i) noexcept {
        indexed_block& b = index_[i];
        if (b.root() == root_loader) b.set_state(reach_state::reachable);
        push(i);
    }

    // Hands over the clique leaders' indirect bytes, one per block (empty when nothing is lost).
    page_array<std::uint64_t> take_indirect_bytes() noexcept {
        page_array<std::uint64_t> out = held_;
        held_ = page_array<std::uint64_t>{nullptr, 0, 0};
        return out;
    }

    // Scans the blocks on the mark stack until none is left.
    void drain() noexcept {
        while (stack_.count) {
            std::size_t const i = stack_.items[--stack_.count];
            indexed_block& b = index_[i];
            b.set_pending(false);
            // A root block, or a block reached by a start pointer, passes on definite reach.
            bool const definite = b.root() != root_none || b.state() == reach_state::reachable;
            scan(b.begin, b.begin + b.size(), definite);
        }
    }

    // The cliques, once the roots are all marked.
    void gather_cliques() noexcept {
        for (std::size_t leader = 0; leader < index_.size(); ++leader) {
            indexed_block& head = index_[leader];
            if (head.state() != reach_state::unreached || head.root() != root_none) continue;
            // The byte counts, only once there is a lost block (zeroed pages).
            if (!held_.count) {
                if (!held_.reserve(index_.size())) return;
                held_.count = index_.size();
            }
            push(leader);
            while (stack_.count) {
                std::size_t const i = stack_.items[--stack_.count];
                indexed_block& b = index_[i];
                b.set_pending(false);
                clique_scan(b.begin, b.begin + b.size(), leader);
            }
        }
    }

private:
    void push(std::size_t i) noexcept {
        indexed_block& b = index_[i];
        if (b.pending()) return;
        b.set_pending(true);
        stack_.items[stack_.count++] = static_cast<std::uint32_t>(i); // room for every block
    }

    void reach(std::size_t i, std::uintptr_t w, bool prior_definite) noexcept {
        indexed_block& b = index_[i];
        if (b.state() == reach_state::reachable) {
            if (b.heuristic() && w == b.begin) b.set_heuristic(heuristic_none);
            return;
        }
        bool start = w == b.begin;
        if (!start) {
            b.set_heuristic(heuristic_for(w, b, map_));
            start = b.heuristic() != heuristic_none;
        }
        if (start && prior_definite) {
            b.set_state(reach_state::reachable);
            push(i);
        } else if (b.state() == reach_state::unreached) {
            b.set_state(reach_state::possible);
            push(i);
        }
    }

    LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY void clique_scan(std::uintptr_t begin, std::uintptr_t end,
                                                         std::size_t leader) noexcept {
        constexpr std::uintptr_t w = sizeof(std::uintptr_t);
        std::uintptr_t p = (begin + w - 1) & ~(w - 1);
        std::uintptr_t const last = end & ~(w - 1);
        for (; p < last; p += w) {
            long const found = index_.find(*reinterpret_cast<const std::uintptr_t*>(p));
            if (found < 0) continue;
            std::size_t const j = static_cast<std::size_t>(found);
            indexed_block& b = index_[j];
            if (b.state() != reach_state::unreached || j == leader || b.root() != root_none) continue;
            push(j);
            held_.items[leader] += b.size() + held_.items[j];
            held_.items[j] = 0;
            b.set_state(reach_state::indirect);
        }
    }

    block_index& index_;
    const memory_map& map_;
    page_array<std::uint32_t> stack_;
    page_array<std::uint64_t> held_; // per block: a clique leader's indirect bytes
    bool ok_;
    std::uint64_t words_;
};

} // namespace detail
} // namespace leakguard

#endif
