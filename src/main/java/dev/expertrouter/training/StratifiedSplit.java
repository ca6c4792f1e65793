package dev.expertrouter.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Train / validation / test split, stratified by domain and reproducible from a seed: each
 * domain's examples are shuffled with the seed and cut at the same fractions.
 */
public record StratifiedSplit(List<LabelledPrompt> train, List<LabelledPrompt> validation, List<LabelledPrompt> test) {

    public static StratifiedSplit of(List<LabelledPrompt> prompts, double validationFraction, double testFraction,
            long seed) {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("fractions must be >= 0 and sum below 1, were "
                    + validationFraction + " and " + testFraction);
        }
        Map<String, List<LabelledPrompt>> byDomain = new TreeMap<>();
        for (LabelledPrompt p : prompts) {
            byDomain.computeIfAbsent(p.domain(), d -> new ArrayList<>()).add(p);
        }
        List<LabelledPrompt> train = new ArrayList<>();
        List<LabelledPrompt> validation = new ArrayList<>();
        List<LabelledPrompt> test = new ArrayList<>();
        for (Map.Entry<String, List<LabelledPrompt>> entry : byDomain.entrySet()) {
            List<LabelledPrompt> items = new ArrayList<>(entry.getValue());
            Collections.shuffle(items, new Random(seed ^ entry.getKey().hashCode()));
            int nTest = (int) Math.round(items.size() * testFraction);
            int nVal = (int) Math.round(items.size() * validationFraction);
            test.addAll(items.subList(0, nTest));
            validation.addAll(items.subList(nTest, nTest + nVal));
            train.addAll(items.subList(nTest + nVal, items.size()));
        }
        return new StratifiedSplit(List.copyOf(train), List.copyOf(validation), List.copyOf(test));
    }
}
