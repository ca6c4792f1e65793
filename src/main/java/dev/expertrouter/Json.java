package dev.expertrouter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The gateway's Jackson mappers: one for its own JSON (bodies, records, metadata), one for the
 * operator's YAML (config, domain examples). An {@link ObjectMapper} is thread-safe once
 * configured and costly to build, so each is shared; neither is reconfigured after class
 * initialisation.
 */
public final class Json {

    /** JSON, compact. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * JSON indented by Jackson's default pretty printer: the format of the files a router model
     * version ships ({@code metadata.json}, {@code calibration.json}, ...) and of reports a person reads.
     */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    /** YAML, read as a tree ({@code experts.yaml}, {@code policies.yaml}, {@code tenants.yaml}, domain examples). */
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {
    }
}
