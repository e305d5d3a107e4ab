package io.bullpen.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key text and its hash. A key is {@code bp_<id>_<secret>}: 8 random bytes of public id (hex) to find the record, and
 * 32 random bytes of secret (base64url). Only SHA-256 of the whole text is stored. A fast hash is enough because the
 * text is 256 bits of randomness: nothing can be guessed or looked up in a dictionary, so a slow password hash
 * (PBKDF2, bcrypt) would only cost every request time without making a stolen hash easier to keep safe.
 */
public final class KeySecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern FORMAT = Pattern.compile("bp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");

  private KeySecrets() {}

  /** A fresh public id: 16 hex digits. */
  public static String newId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /** The full key text for {@code id}, with 32 fresh random bytes of secret. */
  public static String newSecret(String id) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return "bp_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The id inside well-formed key text; empty for anything else. */
  public static Optional<String> idOf(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** SHA-256 of the key text, hex. */
  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether {@code text} hashes to {@code storedSha256}, in time independent of where they differ. */
  public static boolean matches(String text, String storedSha256) {
    byte[] presented = sha256(text).getBytes(StandardCharsets.US_ASCII);
    byte[] stored = storedSha256.getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(presented, stored);
  }
}
