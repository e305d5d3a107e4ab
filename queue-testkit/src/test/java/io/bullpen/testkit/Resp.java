package io.bullpen.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: one Redis command over a raw socket, independent of the code under test. */
final class Resp {
  private Resp() {}

  /** Sends {@code args} as a RESP array and returns the first reply line, e.g. {@code +PONG} or {@code $-1}. */
  static String command(String host, int port, String... args) throws IOException {
    return lines(host, port, 1, args).get(0);
  }

  /** Sends {@code args} as a RESP array and returns the first {@code count} reply lines, without CRLF. */
  static List<String> lines(String host, int port, int count, String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      socket.setSoTimeout(2000);
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      List<String> lines = new ArrayList<>();
      while (lines.size() < count) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        for (b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
          if (b != '\r') {
            line.write(b);
          }
        }
        if (b < 0) {
          throw new IOException("connection closed after " + lines);
        }
        lines.add(line.toString(StandardCharsets.UTF_8));
      }
      return lines;
    }
  }

  /** Whether connecting to {@code host:port} is refused, i.e. nothing listens there. */
  static boolean refuses(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a process with this pid is still alive. */
  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
