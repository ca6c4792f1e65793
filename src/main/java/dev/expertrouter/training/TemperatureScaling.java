package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.RouterModel;

/**
 * Fits the single temperature T that minimises the negative log-likelihood of
 * {@code softmax(logits / T)} on held-out examples (Guo et al. 2017). One parameter cannot change
 * the argmax, so accuracy is untouched while confidence becomes honest.
 */
public final class TemperatureScaling {

    private TemperatureScaling() {
    }

    /**
     * @param logits       class logits per example
     * @param truth        true domain index per example
     * @param classDomains domain index per class (the NLL is of the domain, classes are summed)
     */
    public static double fit(double[][] logits, int[] truth, int[] classDomains, int domains) {
        if (logits.length == 0) {
            return 1.0;
        }
        // Golden-section search on log T over [0.05, 20]: the NLL is unimodal in T.
        double lo = Math.log(0.05);
        double hi = Math.log(20);
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo);
        double b = lo + phi * (hi - lo);
        double fa = nll(logits, truth, classDomains, domains, Math.exp(a));
        double fb = nll(logits, truth, classDomains, domains, Math.exp(b));
        for (int i = 0; i < 80; i++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - phi * (hi - lo);
                fa = nll(logits, truth, classDomains, domains, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + phi * (hi - lo);
                fb = nll(logits, truth, classDomains, domains, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    static double nll(double[][] logits, int[] truth, int[] classDomains, int domains, double temperature) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double[] p = RouterModel.domainProbabilities(logits[i], temperature, classDomains, domains);
            sum -= Math.log(Math.max(1e-12, p[truth[i]]));
        }
        return sum / logits.length;
    }
}
