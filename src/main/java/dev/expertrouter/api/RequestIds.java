package dev.expertrouter.api;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: a caller's id is kept when it is safe to echo and log, else one is made. */
public final class RequestIds {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private RequestIds() {
    }

    public static String accept(String callerId) {
        if (callerId != null && SAFE.matcher(callerId).matches()) {
            return callerId;
        }
        return "req-" + UUID.randomUUID();
    }
}
