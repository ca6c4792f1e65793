package dev.expertrouter.api;

import dev.expertrouter.Sha256;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Finds the tenant of a {@code Authorization: Bearer <key>} header. Keys are compared as SHA-256
 * digests with a constant-time comparison against every tenant, so timing says nothing about which
 * bytes matched.
 */
public final class TenantAuthenticator {

    private TenantAuthenticator() {
    }

    public static TenantConfig authenticate(String authorization, RouterConfig config) {
        return tenantOf(Sha256.of(bearer(authorization)), config)
                .orElseThrow(() -> ApiException.unauthorized("Incorrect API key provided."));
    }

    /**
     * The tenant whose key has this digest; every key of every tenant is compared, whichever
     * matches. The tenant comes from the configuration in force, so a reload that adds or drops a
     * key applies from the next request.
     */
    static Optional<TenantConfig> tenantOf(byte[] presented, RouterConfig config) {
        TenantConfig match = null;
        for (TenantConfig tenant : config.tenants()) {
            for (String hash : tenant.apiKeySha256s()) {
                if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(hash)) && match == null) {
                    match = tenant;
                }
            }
        }
        return Optional.ofNullable(match);
    }

    /** The key from a Bearer header; 401 when the header is missing or not Bearer. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.substring(0, 7).equalsIgnoreCase("bearer ") || value.substring(7).isBlank()) {
            throw ApiException.unauthorized("Malformed Authorization header; expected 'Bearer <key>'.");
        }
        return value.substring(7).trim();
    }
}
