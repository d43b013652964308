import { describe, expect, it } from "vitest";
import {
  addBuckets,
  emptyBuckets,
  LATENCY_BOUNDS_SECONDS,
  LATENCY_BUCKETS,
  latencyBucket,
  latencyQuantile,
} from "./latency";

describe("latency buckets", () => {
  it("put an operation in the first bucket whose bound it does not exceed", () => {
    expect(LATENCY_BUCKETS).toBe(14);
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1)).toBe(0);
    expect(latencyBucket(1.01)).toBe(1);
    expect(latencyBucket(2.5)).toBe(1);
    expect(latencyBucket(42)).toBe(5);
    expect(latencyBucket(10_000)).toBe(12);
    expect(latencyBucket(60_000)).toBe(13);
    expect(LATENCY_BOUNDS_SECONDS[0]).toBe(0.001);
    expect(LATENCY_BOUNDS_SECONDS.at(-1)).toBe(10);
  });

  it("add up bucket by bucket", () => {
    const sum = emptyBuckets();
    addBuckets(sum, [1, 2, 3]);
    addBuckets(sum, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
    expect(sum).toEqual([1, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
  });
});

describe("the p95 of summed buckets", () => {
  const buckets = (counts: Record<number, number>) => {
    const all = emptyBuckets();
    for (const [index, count] of Object.entries(counts)) all[Number(index)] = count;
    return all;
  };

  it("is undefined without operations", () => {
    expect(latencyQuantile(emptyBuckets(), 0.95)).toBeUndefined();
  });

  it("interpolates within the bucket it falls in, as histogram_quantile does", () => {
    // 100 operations: 90 up to 5 ms, 10 between 10 and 25 ms. The 95th is the 5th of those 10.
    expect(latencyQuantile(buckets({ 2: 90, 4: 10 }), 0.95)).toBeCloseTo(10 + 15 * 0.5);
    // All within the first bucket: from 0 to 1 ms.
    expect(latencyQuantile(buckets({ 0: 20 }), 0.95)).toBeCloseTo(0.95);
    expect(latencyQuantile(buckets({ 3: 1 }), 0.5)).toBeCloseTo(7.5);
  });

  it("reports operations beyond the last bound as the last bound", () => {
    expect(latencyQuantile(buckets({ 0: 1, 13: 99 }), 0.95)).toBe(10_000);
  });
});
