package io.bullpen.benchmarks.ops;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that writes each request in a single write. The JDK's {@code HttpClient}
 * writes a POST's headers and body separately, which on loopback costs about 3 ms a request (curl against the same
 * server does not show it), so remote-producer throughput is measured with this instead. Not thread-safe: one per
 * thread.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String host;

  RawHttp(String base) throws IOException {
    URI uri = URI.create(base);
    this.host = uri.getHost() + ":" + uri.getPort();
    this.socket = new Socket(uri.getHost(), uri.getPort());
    socket.setTcpNoDelay(true);
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  /** POSTs {@code json} to {@code path}; returns the status (the body is read and dropped). */
  int post(String path, String key, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-API-Key: " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
    ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + body.length);
    request.write(head.getBytes(StandardCharsets.US_ASCII));
    request.write(body);
    out.write(request.toByteArray());
    out.flush();
    String status = line();
    int length = -1;
    boolean chunked = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
        in.readNBytes(size);
        line();
      }
      line();
    } else if (length > 0) {
      in.readNBytes(length);
    }
    return Integer.parseInt(status.split(" ")[1]);
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
