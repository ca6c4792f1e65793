package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.routing.classifier.NeighbourBlend;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.time.Instant;

/** metadata.json of a trained version: what it was built from, how, and its scores. */
final class TrainingMetadata {

    private TrainingMetadata() {
    }

    /**
     * @param refit the refit, or {@code null}
     * @param blend the neighbour blend, or {@code null} for heads alone
     */
    static ObjectNode build(TrainOptions options, TrainingData data, String embedderId, int dimension, int members,
            double temperature, String fittedOn, HeadFit heads, KFoldRefit refit, NeighbourBlendFit blend,
            TrainingReport report, int correctionCopies) {
        ObjectNode metadata = Json.MAPPER.createObjectNode();
        metadata.put("format", RouterArtifactFiles.FORMAT);
        metadata.put("version", options.version());
        metadata.put("created", Instant.now().toString());
        metadata.put("embedder", embedderId);
        metadata.put("embeddingDimension", dimension);
        metadata.putPOJO("labels", data.labels());
        metadata.put("classes", data.classes().size());
        metadata.put("members", members);
        metadata.put("seed", options.seed());
        ObjectNode selection = metadata.putObject("textSelection");
        selection.put("maxChars", PromptTextSelector.DEFAULT_MAX_CHARS);
        selection.put("shortFocusChars", PromptTextSelector.DEFAULT_SHORT_FOCUS_CHARS);
        metadata.set("head", Json.MAPPER.valueToTree(options.head()));
        ObjectNode calibration = metadata.putObject("calibration");
        calibration.put("method", "temperature");
        calibration.put("temperature", temperature);
        calibration.put("fittedOn", fittedOn);
        if (blend != null) {
            NeighbourBlend b = blend.blend();
            ObjectNode neighboursNode = RouterArtifactWriter.neighboursSettings(b);
            calibration.set("neighbours", neighboursNode);
            neighboursNode.put("rows", b.index().size());
            if (b.index().whitened()) {
                neighboursNode.put("whiteningShrinkage", WhiteningFit.DEFAULT_SHRINKAGE);
            }
            neighboursNode.put("fittedOn", refit != null ? fittedOn : "validation, against an index of the training rows");
        }
        if (refit != null) {
            metadata.set("refit", refit.metadata());
        }
        ArrayNode files = metadata.putArray("data");
        data.files().forEach(f -> files.add(Json.MAPPER.valueToTree(f)));
        data.chatEval().ifPresent(chat -> {
            // Scored, never trained on: apart from "data", which lists what the model learnt from.
            ObjectNode node = metadata.putObject("chatEval");
            node.put("dir", chat.dir().toString());
            node.put("prompts", chat.prompts().size());
            ArrayNode chatFiles = node.putArray("data");
            chat.files().forEach(f -> chatFiles.add(Json.MAPPER.valueToTree(f)));
        });
        if (data.corrections().size() > 0 || data.corrections().dropped() > 0) {
            // Outcomes whose feedback corrected the domain, read from the outcome history.
            ObjectNode corrections = metadata.putObject("corrections");
            corrections.put("train", data.corrections().train().size());
            corrections.put("validation", data.corrections().validation().size());
            corrections.put("regression", data.corrections().test().size());
            corrections.put("dropped", data.corrections().dropped());
            corrections.put("copies", correctionCopies);
        }
        ObjectNode split = metadata.putObject("split");
        split.put("validationFraction", options.validationFraction());
        split.put("testFraction", options.testFraction());
        split.put("stratifiedBy", "domain");
        split.put("train", data.train().size());
        split.put("validation", data.validation().size());
        split.put("test", data.test().size());
        split.put("testSource", data.testIsMmlu() ? LabelledPrompt.MMLU : LabelledPrompt.OWN);
        split.put("ownTest", data.ownTest().size());
        ObjectNode metrics = metadata.putObject("metrics");
        metrics.set("test", Json.MAPPER.valueToTree(report.test()));
        metrics.set("ownTest", Json.MAPPER.valueToTree(report.ownTest()));
        if (report.chatEval() != null) {
            metrics.set("chatEval", Json.MAPPER.valueToTree(report.chatEval()));
        }
        metrics.set("validation", Json.MAPPER.valueToTree(heads.validation()));
        if (refit != null) {
            // validation scores the early-stopped members that chose the epoch count; outOfFold
            // scores the refit recipe (each example predicted by the member that did not see it).
            metrics.set("outOfFold", Json.MAPPER.valueToTree(refit.outOfFold()));
        }
        if (blend != null) {
            // The served recipe on the same held-out predictions: heads blended with the vote.
            metrics.set(refit != null ? "outOfFoldWithNeighbours" : "validationWithNeighbours",
                    Json.MAPPER.valueToTree(blend.heldOut()));
            metrics.set("testHeadsOnly", Json.MAPPER.valueToTree(report.testHeadsOnly()));
        }
        metrics.put("testEceUncalibrated", report.testUncalibrated().ece());
        return metadata;
    }
}
