package io.bullpen.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds a TCP port on the loopback interface that nothing listens on right now. */
public final class FreePort {
  /** Redis's well-known port: never handed out, so tests cannot hit a developer's own Redis by accident. */
  static final int REDIS_DEFAULT_PORT = 6379;

  private FreePort() {}

  /**
   * Returns a port that was free a moment ago. Another process may still take it before the caller binds it,
   * so callers that start servers should be ready to retry with a new port.
   */
  public static int find() {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = bindAndRelease();
      if (port != REDIS_DEFAULT_PORT) {
        return port;
      }
    }
    throw new IllegalStateException("the operating system keeps offering port " + REDIS_DEFAULT_PORT);
  }

  private static int bindAndRelease() {
    try (ServerSocket socket = new ServerSocket()) {
      // No SO_REUSEADDR: we want a port that is really free, not one lingering in TIME_WAIT.
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a loopback port", e);
    }
  }
}
