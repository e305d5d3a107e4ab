package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Bullpen's own TLS query parameters of a Redis URI ({@code tlsCa}, {@code tlsCert}, {@code tlsKey}: PEM file
 * paths), so that a whole TLS setup fits in one environment variable. They are taken out of the URI before
 * Lettuce reads it; Lettuce's own parameters ({@code verifyPeer}, {@code clientName}, ...) stay.
 *
 * @param uri the URI without Bullpen's parameters
 * @param tls the TLS options they name, or null when there were none
 */
record UriTlsOptions(String uri, TlsOptions tls) {
  private static final List<String> NAMES = List.of("tlsCa", "tlsCert", "tlsKey");

  /** Splits {@code uri}; {@code mask} hides credentials in error messages. */
  static UriTlsOptions take(String uri, UnaryOperator<String> mask) {
    int query = uri.indexOf('?');
    if (query < 0) {
      return new UriTlsOptions(uri, null);
    }
    int fragment = uri.indexOf('#', query);
    String end = fragment < 0 ? "" : uri.substring(fragment);
    String params = uri.substring(query + 1, fragment < 0 ? uri.length() : fragment);
    Map<String, String> ours = new LinkedHashMap<>();
    List<String> kept = new ArrayList<>();
    for (String param : params.split("&")) {
      int eq = param.indexOf('=');
      String name = eq < 0 ? param : param.substring(0, eq);
      if (NAMES.contains(name)) {
        String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1),
            StandardCharsets.UTF_8);
        if (value.isEmpty()) {
          throw new InvalidOptionException("uri", mask.apply(uri), "parameter " + name + " needs a file path");
        }
        ours.put(name, value);
      } else if (!param.isEmpty()) {
        kept.add(param);
      }
    }
    if (ours.isEmpty()) {
      return new UriTlsOptions(uri, null);
    }
    if (ours.containsKey("tlsCert") != ours.containsKey("tlsKey")) {
      throw new InvalidOptionException("uri", mask.apply(uri), "tlsCert and tlsKey go together (client certificate"
          + " and its private key)");
    }
    TlsOptions.Builder tls = TlsOptions.builder();
    if (ours.containsKey("tlsCa")) {
      tls.trustedCertificates(Path.of(ours.get("tlsCa")));
    }
    if (ours.containsKey("tlsCert")) {
      tls.clientCertificate(Path.of(ours.get("tlsCert")), Path.of(ours.get("tlsKey")));
    }
    String base = uri.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept)) + end;
    return new UriTlsOptions(base, tls.build());
  }
}
