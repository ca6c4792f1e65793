package dev.expertrouter.api;

import dev.expertrouter.Sha256;
import dev.expertrouter.config.RouterConfig;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks the admin key on {@code /admin/*}: 403 while no admin key is configured, 401 for a missing
 * or wrong key, 403 for a tenant's key (it is a real key, just not allowed here). Compared as
 * SHA-256 digests in constant time.
 */
public final class AdminAuthenticator {

    private AdminAuthenticator() {
    }

    public static void authenticate(String authorization, Optional<String> adminKey, RouterConfig config) {
        if (adminKey.isEmpty() || adminKey.get().isBlank()) {
            throw ApiException.forbidden("admin_disabled", "Admin endpoints are disabled: set ROUTER_ADMIN_KEY to enable them.");
        }
        byte[] presented = Sha256.of(TenantAuthenticator.bearer(authorization));
        if (MessageDigest.isEqual(presented, Sha256.of(adminKey.get()))) {
            return;
        }
        if (TenantAuthenticator.tenantOf(presented, config).isPresent()) {
            throw ApiException.forbidden("admin_key_required", "This key may not use admin endpoints.");
        }
        throw ApiException.unauthorized("Incorrect admin key provided.");
    }
}
