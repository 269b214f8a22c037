/*
 * rng.h - random numbers for the C tests that generate texts: splitmix64,
 * so a seed gives the same texts on every machine.  Header-only.
 */
#ifndef VBG_TEST_RNG_H
#define VBG_TEST_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rng {
  uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

/* 0 .. n-1 (0 when n is 0). */
static inline size_t rng_below(rng *r, size_t n) {
  return n ? (size_t)(rng_next(r) % n) : 0;
}

#endif
