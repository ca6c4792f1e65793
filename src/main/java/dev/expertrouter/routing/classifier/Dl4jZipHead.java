package dev.expertrouter.routing.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a dense DL4J network saved by {@code ModelSerializer} (a zip of {@code configuration.json}
 * and {@code coefficients.bin}) straight into an {@link MlpHead}, without DL4J or ND4J: serving
 * needs only the floats, and loading ND4J's native backend (OpenBLAS, JavaCPP) for them cost the
 * serving process about 100 MB of resident memory and seconds of start-up.
 *
 * <p>{@code coefficients.bin} is ND4J's binary array format: the shape buffer, then the data buffer,
 * each written as (allocation mode: UTF, length: long, data type: UTF, values big-endian). The
 * flattened parameters are, per layer, W (nIn x nOut, column-major: DL4J's 'f' order view) then b.
 */
final class Dl4jZipHead {

    private Dl4jZipHead() {
    }

    /** @throws IOException when the zip is unreadable or not a dense ReLU/softmax network of floats */
    static MlpHead read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode conf;
            try (InputStream in = entry(zip, "configuration.json")) {
                conf = Json.MAPPER.readTree(in);
            }
            float[] flat;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(entry(zip, "coefficients.bin")))) {
                skipBuffer(in); // shape information
                flat = floatBuffer(in);
            }
            JsonNode confs = conf.path("confs");
            List<DenseLayerWeights> layers = new ArrayList<>();
            int offset = 0;
            for (int l = 0; l < confs.size(); l++) {
                JsonNode layer = confs.get(l).path("layer");
                String type = layer.path("@class").asText();
                if (!type.endsWith(".DenseLayer") && !type.endsWith(".OutputLayer")) {
                    throw new IOException("layer " + l + " is a " + type + ", not a dense layer");
                }
                boolean last = l == confs.size() - 1;
                String activation = layer.path("activationFn").path("@class").asText();
                if (!activation.endsWith(last ? "ActivationSoftmax" : "ActivationReLU")) {
                    throw new IOException("layer " + l + " has activation " + activation);
                }
                int in = layer.path("nin").asInt();
                int out = layer.path("nout").asInt();
                if (in < 1 || out < 1 || offset + in * out + out > flat.length) {
                    throw new IOException("layer " + l + " (" + in + " x " + out + ") does not fit the "
                            + flat.length + " parameters");
                }
                float[] weights = new float[in * out];
                for (int i = 0; i < in; i++) {
                    for (int j = 0; j < out; j++) {
                        weights[i * out + j] = flat[offset + i + j * in];
                    }
                }
                offset += in * out;
                float[] bias = new float[out];
                System.arraycopy(flat, offset, bias, 0, out);
                offset += out;
                layers.add(new DenseLayerWeights(in, out, weights, bias, !last));
            }
            if (offset != flat.length || layers.isEmpty()) {
                throw new IOException("the layers use " + offset + " of " + flat.length + " parameters");
            }
            return new MlpHead(layers);
        }
    }

    private static InputStream entry(ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IOException("no " + name + " in the zip");
        }
        return zip.getInputStream(e);
    }

    private static void skipBuffer(DataInputStream in) throws IOException {
        in.readUTF();
        long length = in.readLong();
        String type = in.readUTF();
        long bytes = length * switch (type) {
            case "LONG", "DOUBLE" -> 8;
            case "INT", "FLOAT" -> 4;
            default -> throw new IOException("unexpected shape buffer type " + type);
        };
        in.skipNBytes(bytes);
    }

    private static float[] floatBuffer(DataInputStream in) throws IOException {
        in.readUTF();
        long length = in.readLong();
        String type = in.readUTF();
        if (!"FLOAT".equals(type) || length > Integer.MAX_VALUE) {
            throw new IOException("parameters are " + type + " x " + length + ", expected FLOAT");
        }
        float[] values = new float[(int) length];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
