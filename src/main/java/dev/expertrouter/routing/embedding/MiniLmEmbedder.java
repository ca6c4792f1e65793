package dev.expertrouter.routing.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2, int8-quantised ONNX, run in-process by ONNX Runtime (weights and tokenizer ship
 * inside the langchain4j jar; nothing is downloaded). Mean pooling, L2-normalised, as the model
 * was trained. Text beyond the model's 510-token window is split and the parts averaged by the
 * library, though {@link PromptTextSelector} keeps prompts well below that.
 *
 * <p>The ONNX session is built here rather than by langchain4j so that the intra-op thread count
 * is ours to choose: one thread per call gives the best throughput under concurrent requests and
 * avoids spin-waiting threads on a busy host. ONNX Runtime sessions are thread-safe, so one
 * instance serves all threads.
 */
public final class MiniLmEmbedder implements PromptEmbedder {

    public static final String ID = "all-minilm-l6-v2-q";
    public static final int DEFAULT_INTRA_OP_THREADS = 1;
    private static final int DIMENSION = 384;
    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

    /** Token ids of one pass, [CLS] and [SEP] included; beyond it the library splits the text. */
    private static final int MAX_SEQUENCE = 512;

    private final Encoder encoder;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    public MiniLmEmbedder() {
        this(DEFAULT_INTRA_OP_THREADS);
    }

    public MiniLmEmbedder(int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, was " + intraOpThreads);
        }
        try (InputStream model = resource(MODEL_RESOURCE); InputStream tokenizer = resource(TOKENIZER_RESOURCE)) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            byte[] tokenizerJson = tokenizer.readAllBytes();
            this.environment = environment;
            this.session = environment.createSession(model.readAllBytes(), options);
            this.encoder = new Encoder(new OnnxBertBiEncoder(environment, session,
                    new java.io.ByteArrayInputStream(tokenizerJson), PoolingMode.MEAN));
            this.tokenizer = HuggingFaceTokenizer.newInstance(new java.io.ByteArrayInputStream(tokenizerJson),
                    Map.of("padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the MiniLM model from the class path", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start ONNX Runtime for MiniLM: " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[] embed(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text to embed must not be blank");
        }
        long[] ids = tokenizer.encode(text, true, false).getIds();
        if (ids.length > MAX_SEQUENCE) {
            return encoder.embedAll(List.of(TextSegment.from(text))).content().get(0).vector();
        }
        try {
            return embedIds(ids);
        } catch (OrtException e) {
            throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
        }
    }

    /** One text's vector: see {@link #pass}. */
    private float[] embedIds(long[] ids) throws OrtException {
        return pass(ids, ids.length)[0];
    }

    /**
     * {@inheritDoc} Here one ONNX pass over {@code text}: {@code [0]} is exactly {@link #embed}'s
     * vector, {@code [1]} the mean of the hidden states at the tail's word pieces and the closing
     * [SEP], L2-normalised, so the tail is read with what precedes it in view. The tail's word
     * pieces are found by their character offsets in the text's own tokenization (no second
     * tokenizer call). When the text does not end with the tail, or is longer than one pass, the
     * tail is embedded on its own.
     */
    @Override
    public float[][] embedWithTail(String text, String tail) {
        Encoding encoding = tokenizer.encode(text, true, false);
        long[] ids = encoding.getIds();
        int from = tailFrom(starts(encoding), text, tail);
        if (ids.length > MAX_SEQUENCE || from < 0) {
            return new float[][] {embed(text), embed(tail)};
        }
        try {
            return pass(ids, from);
        } catch (OrtException e) {
            throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
        }
    }

    /** Where each position of {@code text}'s encoding starts, in code points; -1 for [CLS] and [SEP]. */
    public int[] tokenStarts(String text) {
        return starts(tokenizer.encode(text, true, false));
    }

    private static int[] starts(Encoding encoding) {
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] starts = new int[spans.length];
        for (int i = 0; i < spans.length; i++) {
            starts[i] = spans[i] == null ? -1 : spans[i].getStart();
        }
        return starts;
    }

    /**
     * The first position of {@code tail}'s word pieces in the encoding of {@code text} whose
     * positions start at {@code starts} ({@link #tokenStarts}), or -1 when the text does not end
     * with the tail or no piece of it is there (cut off at the window's end).
     */
    public static int tailFrom(int[] starts, String text, String tail) {
        if (tail.isBlank() || !text.endsWith(tail)) {
            return -1;
        }
        int tailStart = text.codePointCount(0, text.length() - tail.length()); // offsets count code points
        int last = starts.length - 1; // [SEP]
        int from = last;
        while (from - 1 >= 1 && starts[from - 1] >= tailStart) {
            from--;
        }
        return from < last ? from : -1;
    }

    /**
     * One ONNX pass over one text's token ids: {@code [0]} mean-pooled over every position and
     * L2-normalised, the same float operations in the same order as langchain4j's encoder (so the
     * same vector), without its two extra tokenizer passes (it tokenizes, rebuilds the text,
     * re-tokenizes to check, then encodes) and its copy of the whole hidden state into Java arrays;
     * {@code [1]}, when {@code tailFrom < ids.length}, the same over positions from {@code tailFrom}.
     */
    private float[][] pass(long[] ids, int tailFrom) throws OrtException {
        int n = ids.length;
        long[] shape = {1, n};
        long[] ones = new long[n];
        java.util.Arrays.fill(ones, 1L);
        try (OnnxTensor input = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor mask = OnnxTensor.createTensor(environment, LongBuffer.wrap(ones), shape);
                OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[n]), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", input, "attention_mask", mask,
                        "token_type_ids", types))) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] mean = new float[DIMENSION];
            float[] tail = tailFrom < n ? new float[DIMENSION] : null;
            for (int t = 0; t < n; t++) {
                int base = t * DIMENSION;
                for (int j = 0; j < DIMENSION; j++) {
                    float h = hidden.get(base + j);
                    mean[j] += h;
                    if (tail != null && t >= tailFrom) {
                        tail[j] += h;
                    }
                }
            }
            normaliseMean(mean, n);
            if (tail != null) {
                normaliseMean(tail, n - tailFrom);
            }
            return new float[][] {mean, tail};
        }
    }

    private static void normaliseMean(float[] sum, int count) {
        for (int j = 0; j < DIMENSION; j++) {
            sum[j] /= count;
        }
        float sumSquares = 0;
        for (float v : sum) {
            sumSquares += v * v;
        }
        float norm = (float) Math.sqrt(sumSquares);
        for (int j = 0; j < DIMENSION; j++) {
            sum[j] = sum[j] / norm;
        }
    }

    /**
     * Mean-pooled, L2-normalised vectors of equally long id sequences in one ONNX pass: for
     * distilling per-token vectors at training time (not for serving, where batching would tie a
     * prompt's int8 activation scale to its neighbours').
     */
    public float[][] embedIdBatch(long[][] batch) {
        int b = batch.length;
        int n = batch[0].length;
        long[] flat = new long[b * n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(batch[i], 0, flat, i * n, n);
        }
        long[] ones = new long[b * n];
        java.util.Arrays.fill(ones, 1L);
        long[] shape = {b, n};
        try (OnnxTensor input = OnnxTensor.createTensor(environment, LongBuffer.wrap(flat), shape);
                OnnxTensor mask = OnnxTensor.createTensor(environment, LongBuffer.wrap(ones), shape);
                OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[b * n]), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", input, "attention_mask", mask,
                        "token_type_ids", types))) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[][] out = new float[b][DIMENSION];
            for (int i = 0; i < b; i++) {
                for (int t = 0; t < n; t++) {
                    int base = (i * n + t) * DIMENSION;
                    for (int j = 0; j < DIMENSION; j++) {
                        out[i][j] += hidden.get(base + j);
                    }
                }
                double norm = 0;
                for (int j = 0; j < DIMENSION; j++) {
                    norm += out[i][j] * out[i][j];
                }
                float scale = (float) (1 / Math.sqrt(Math.max(norm, 1e-12)));
                for (int j = 0; j < DIMENSION; j++) {
                    out[i][j] *= scale;
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text} without [CLS]/[SEP]. */
    public long[] tokenIds(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Id of a vocabulary token such as {@code [CLS]}. */
    public long tokenId(String token) {
        return tokenizer.encode(token, false, false).getIds()[0];
    }

    /** The library's path, kept as the reference the fast path is tested against. */
    float[] embedByLibrary(String text) {
        return encoder.embedAll(List.of(TextSegment.from(text))).content().get(0).vector();
    }

    private static InputStream resource(String name) {
        InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("MiniLM resource " + name + " missing from the class path");
        }
        return in;
    }

    /** langchain4j's tokenisation, pooling and normalisation around our own session. */
    private static final class Encoder extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder model;

        Encoder(OnnxBertBiEncoder model) {
            super(Runnable::run); // one segment per call: no thread pool needed
            this.model = model;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return model;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSION;
        }
    }
}
