package dev.expertrouter;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson mapper of the gateway's own JSON (bodies, records, metadata). An
 * {@link ObjectMapper} is thread-safe once configured and costly to build, so it is shared.
 */
public final class Json {

    /** Shared, never reconfigured after class initialisation. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
