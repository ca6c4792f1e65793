package dev.expertrouter.routing.serving;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.MetricNames;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;

/**
 * The serving router's {@link RecordClassifier}: forced requests are classified for the record
 * after their answer, within {@code router.record-classification-*}; drops are a metric.
 */
@ApplicationScoped
public class RecordClassification {

    private final RecordClassifier classifier;
    private final ServingRouter router;

    public RecordClassification(ServingRouter router, RouterSettings settings, MeterRegistry registry) {
        this.router = router;
        this.classifier = new RecordClassifier(router, settings.recordClassificationQueue(),
                settings.recordClassificationCpuShare());
        FunctionCounter.builder(MetricNames.RECORD_CLASSIFICATION_DROPPED, classifier, RecordClassifier::dropped)
                .description("Forced requests not classified for the record because the queue was full")
                .register(registry);
        Gauge.builder(MetricNames.RECORD_CLASSIFICATION_WAITING, classifier, RecordClassifier::waiting)
                .description("Forced requests waiting for their after-the-answer classification")
                .register(registry);
    }

    /** What a forced request knows of its prompt until it is classified: nothing, under the serving version. */
    public Classification notYetClassified() {
        return new Classification(Classification.UNKNOWN_DOMAIN, 0, java.util.Map.of(), router.version(), null);
    }

    /** See {@link RecordClassifier#submit}; {@code done} runs on the classifier's thread. */
    public boolean submit(ChatPrompt prompt, Consumer<Classification> done) {
        return classifier.submit(prompt, done);
    }

    @PreDestroy
    void close() {
        classifier.close();
    }
}
