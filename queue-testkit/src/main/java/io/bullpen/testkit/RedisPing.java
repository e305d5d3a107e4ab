package io.bullpen.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one {@code PING} over a plain socket. The test kit checks readiness this way so it needs no Redis
 * client library.
 */
public final class RedisPing {
  private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFO_SERVER = "INFO server persistence\r\n".getBytes(StandardCharsets.US_ASCII);

  private RedisPing() {}

  /**
   * Whether a Redis at {@code host:port} answers {@code +PONG} within {@code timeout}. Refused connections,
   * timeouts and error replies (e.g. {@code -LOADING}, {@code -NOAUTH}) all give {@code false}.
   */
  public static boolean ping(String host, int port, Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      out.write(PING);
      out.flush();
      return "+PONG".equals(readLine(socket.getInputStream()));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The {@code process_id} reported by {@code INFO server}, or -1 if the server cannot be asked or is still
   * loading its data set (it answers INFO then, but refuses data commands with {@code LOADING}). Used to make
   * sure a port answers with <em>our</em> process, ready, and not with some other Redis that grabbed the port.
   */
  static long serverPid(String host, int port, Duration timeout) {
    return serverPid(host, port, timeout, null);
  }

  /** {@link #serverPid(String, int, Duration)} for a server with {@code requirepass}: AUTH first (null: none). */
  static long serverPid(String host, int port, Duration timeout, String password) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      if (password != null) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        out.write(("*2\r\n$4\r\nAUTH\r\n$" + secret.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(secret);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (!"+OK".equals(readLine(in))) {
          return -1;
        }
      }
      out.write(INFO_SERVER);
      out.flush();
      String header = readLine(in);
      if (header == null || !header.startsWith("$")) {
        return -1;
      }
      int length = Integer.parseInt(header.substring(1));
      if (length < 0 || length > 1 << 20) {
        return -1;
      }
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      long pid = -1;
      for (String line : body.split("\r\n")) {
        if (line.startsWith("process_id:")) {
          pid = Long.parseLong(line.substring("process_id:".length()).trim());
        }
        if (line.trim().equals("loading:1") || line.trim().equals("async_loading:1")) {
          return -1;
        }
      }
      return pid;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Reads one CRLF-terminated reply line; a short, bounded read is enough for a simple-string reply. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (line.length() < 512) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
      }
      line.append((char) b);
    }
    return null;
  }
}
