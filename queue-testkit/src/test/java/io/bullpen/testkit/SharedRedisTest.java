package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedRedisTest {
  /** Counts how often it was closed; no server behind it. */
  private static final class FakeRedis implements RunningRedis {
    int closes;

    @Override
    public String uri() {
      return "redis://127.0.0.1:1";
    }

    @Override
    public String host() {
      return "127.0.0.1";
    }

    @Override
    public int port() {
      return 1;
    }

    @Override
    public String source() {
      return "fake";
    }

    @Override
    public void close() {
      closes++;
    }
  }

  private final List<FakeRedis> started = new ArrayList<>();
  private final SharedRedis shared = new SharedRedis(() -> {
    FakeRedis redis = new FakeRedis();
    started.add(redis);
    return redis;
  });

  @Test
  void startsLazilyAndOnce() {
    assertEquals(0, started.size());
    RunningRedis first = shared.get();
    assertSame(first, shared.get());
    assertSame(first, shared.acquire());
    assertEquals(1, started.size());
  }

  @Test
  void lastLeaseStopsTheServerAndTheNextRequestStartsAnother() {
    FakeRedis outer = (FakeRedis) shared.acquire();
    RunningRedis inner = shared.acquire();
    assertSame(outer, inner);

    shared.release(inner);
    assertEquals(0, outer.closes, "stopped while a lease was still held");
    assertEquals(1, shared.leases());

    shared.release(outer);
    assertEquals(1, outer.closes);
    assertEquals(0, shared.leases());

    shared.release(outer); // a stray extra release changes nothing
    assertEquals(1, outer.closes);

    RunningRedis next = shared.get();
    assertNotSame(outer, next);
    assertEquals(2, started.size());
  }

  @Test
  void plainGetHoldsNoLease() {
    FakeRedis redis = (FakeRedis) shared.get();
    assertEquals(0, shared.leases());
    shared.release(redis);
    assertEquals(0, redis.closes, "a release without an acquire stopped the server");
  }
}
