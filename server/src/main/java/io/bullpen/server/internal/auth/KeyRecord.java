package io.bullpen.server.internal.auth;

import io.bullpen.server.ApiKey;

/** A stored key: what it grants, and the SHA-256 of its secret text (hex), never the text. */
public record KeyRecord(ApiKey key, String sha256) {}
