package dev.expertrouter.bench.perceptive;

import java.nio.file.Path;

/** Fills the classification cache for both data sets (the slow part of the benchmark). */
public final class EmbedPrompts {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../../shared/data");
        Path cache = Path.of("target/perceptive-cache");
        ClassifiedPrompts.of(BenchData.gsm8k(data.resolve("gsm8k/gsm8k_test_gpt4_mixtral.jsonl")).stream()
                .map(BenchData.GsmItem::question).toList(), Path.of("router-models"), cache, "gsm8k");
        ClassifiedPrompts.of(BenchData.mmlu(data.resolve("mmlu/mmlu_val.jsonl")).stream()
                .map(BenchData.MmluItem::prompt).toList(), Path.of("router-models"), cache, "mmlu");
    }
}
