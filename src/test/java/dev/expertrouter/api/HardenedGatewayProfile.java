package dev.expertrouter.api;

import dev.expertrouter.GatewayTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared gateway profile with an admin key and short header- and body-read timeouts, for the tests of
 * the HTTP layer's own defences and the admin door.
 */
public class HardenedGatewayProfile extends GatewayTestProfile {

    public static final String ADMIN_KEY = "sk-test-admin-hardened";
    public static final long HEADER_READ_TIMEOUT_MS = 2000;
    public static final long BODY_READ_TIMEOUT_MS = 3000;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("router.admin-key", ADMIN_KEY);
        overrides.put("router.header-read-timeout", HEADER_READ_TIMEOUT_MS + "ms");
        overrides.put("router.body-read-timeout", BODY_READ_TIMEOUT_MS + "ms");
        return overrides;
    }
}
