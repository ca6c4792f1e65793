package dev.expertrouter.api;

import dev.expertrouter.GatewayTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared gateway profile with an admin key and a short header-read timeout, for the tests of
 * the HTTP layer's own defences and the admin door.
 */
public class HardenedGatewayProfile extends GatewayTestProfile {

    public static final String ADMIN_KEY = "sk-test-admin-hardened";
    public static final long HEADER_READ_TIMEOUT_MS = 2000;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("router.admin-key", ADMIN_KEY);
        overrides.put("router.header-read-timeout", HEADER_READ_TIMEOUT_MS + "ms");
        return overrides;
    }
}
