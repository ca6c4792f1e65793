package dev.expertrouter.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One policy of {@code policies.yaml}: weights, hard limits, allow/deny lists, escalation, risk tiers. */
final class PoliciesFile {

    private static final Duration MAX_AFFINITY_TTL = Duration.ofDays(7);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    private PoliciesFile() {
    }

    static PolicyConfig policy(ConfigNode p, Set<String> expertIds, Set<String> domains) {
        p.onlyKeys(Set.of("name", "default-expert", "description", "weights", "limits", "allowed-experts",
                "denied-experts", "escalation", "risk-tiers", "reference-expert", "affinity", "exploration", "verify"));
        String name = ConfigNames.name(p, "name");
        Optional<String> defaultExpert = p.optionalString("default-expert");
        defaultExpert.ifPresent(id -> ConfigNames.knownExpert(p, "default-expert", id, expertIds));
        Optional<String> referenceExpert = p.optionalString("reference-expert");
        referenceExpert.ifPresent(id -> ConfigNames.knownExpert(p, "reference-expert", id, expertIds));

        PolicyConfig.Weights d = PolicyConfig.Weights.DEFAULT;
        PolicyConfig.Weights weights = p.optionalObject("weights").map(w -> {
            w.onlyKeys(Set.of("quality", "cost", "latency"));
            return new PolicyConfig.Weights(
                    w.number("quality", d.quality(), 0, 1000),
                    w.number("cost", d.cost(), 0, 1000),
                    w.number("latency", d.latency(), 0, 1000));
        }).orElse(d);

        PolicyConfig.Limits limits = p.optionalObject("limits").map(l -> {
            l.onlyKeys(Set.of("max-cost-usd", "max-latency-ms", "min-quality"));
            OptionalDouble maxCost = l.has("max-cost-usd")
                    ? OptionalDouble.of(l.number("max-cost-usd", 0, 0, 1e6)) : OptionalDouble.empty();
            OptionalLong maxLatency = l.has("max-latency-ms")
                    ? OptionalLong.of(l.longValue("max-latency-ms", 0, 1, 3_600_000)) : OptionalLong.empty();
            return new PolicyConfig.Limits(maxCost, maxLatency, l.number("min-quality", 0, 0, 1));
        }).orElse(PolicyConfig.Limits.NONE);

        List<String> allowed = ConfigNames.knownExperts(p, "allowed-experts", expertIds);
        List<String> denied = ConfigNames.knownExperts(p, "denied-experts", expertIds);
        for (String x : denied) {
            if (allowed.contains(x)) {
                throw p.problem("denied-experts", "expert '" + x + "' is both allowed and denied");
            }
        }
        if (!allowed.isEmpty() && allowed.stream().allMatch(denied::contains)) {
            throw p.problem("allowed-experts", "no expert is left once denied-experts are removed");
        }

        PolicyConfig.Escalation escalation = p.optionalObject("escalation").map(esc -> escalation(esc, expertIds))
                .orElse(PolicyConfig.Escalation.DEFAULT);

        List<PolicyConfig.RiskTier> tiers = new ArrayList<>();
        for (ConfigNode t : p.objects("risk-tiers")) {
            t.onlyKeys(Set.of("domains", "min-probability", "min-quality", "allowed-experts"));
            List<String> tierDomains = t.strings("domains");
            if (tierDomains.isEmpty()) {
                throw t.problem("domains", "is required (a list of domains)");
            }
            for (String dom : tierDomains) {
                if (!domains.contains(dom)) {
                    throw t.problem("domains", "unknown domain '" + dom + "' (known: "
                            + String.join(", ", domains.stream().sorted().toList()) + ")");
                }
            }
            List<String> tierAllowed = ConfigNames.knownExperts(t, "allowed-experts", expertIds);
            double minQuality = t.number("min-quality", 0, 0, 1);
            if (minQuality == 0 && tierAllowed.isEmpty()) {
                throw t.problem("min-quality", "a risk tier needs min-quality or allowed-experts, else it does nothing");
            }
            tiers.add(new PolicyConfig.RiskTier(tierDomains, t.number("min-probability", 0.3, 0, 1), minQuality,
                    tierAllowed));
        }
        PolicyConfig.Affinity affinity = p.optionalObject("affinity").map(PoliciesFile::affinity)
                .orElse(PolicyConfig.Affinity.OFF);
        PolicyConfig.Exploration exploration = p.optionalObject("exploration").map(x -> {
            x.onlyKeys(Set.of("share", "max-extra-cost-ratio"));
            return new PolicyConfig.Exploration(x.number("share", 0, 0, PolicyConfig.Exploration.MAX_SHARE),
                    x.number("max-extra-cost-ratio", 3.0, 1, 1e6));
        }).orElse(PolicyConfig.Exploration.NONE);
        PolicyConfig.Verification verification = p.optionalObject("verify")
                .map(v -> verification(v, expertIds, allowed, denied)).orElse(PolicyConfig.Verification.NONE);
        return new PolicyConfig(name, defaultExpert, p.optionalString("description").orElse(""), weights, limits,
                allowed, denied, escalation, tiers, referenceExpert, affinity, exploration, verification);
    }

    /** The draft must be an expert this policy may route to: a draft it never asks would be a setting not honoured. */
    private static PolicyConfig.Verification verification(ConfigNode v, Set<String> expertIds, List<String> allowed,
            List<String> denied) {
        v.onlyKeys(Set.of("draft", "threshold"));
        String draft = v.optionalString("draft").orElseThrow(() -> v.problem("draft", "is required (the expert that answers first)"));
        ConfigNames.knownExpert(v, "draft", draft, expertIds);
        if (denied.contains(draft) || !allowed.isEmpty() && !allowed.contains(draft)) {
            throw v.problem("draft", "expert '" + draft + "' is not one this policy may route to");
        }
        return new PolicyConfig.Verification(draft, v.number("threshold", 0.5, PolicyConfig.Verification.MIN_THRESHOLD,
                PolicyConfig.Verification.MAX_THRESHOLD));
    }

    /** Writing the block means wanting affinity: {@code enabled} defaults to true inside it. */
    private static PolicyConfig.Affinity affinity(ConfigNode a) {
        a.onlyKeys(Set.of("enabled", "switch-confidence", "ttl", "topic-check"));
        Duration ttl = a.optionalString("ttl").map(t -> duration(a, "ttl", t)).orElse(PolicyConfig.Affinity.DEFAULT_TTL);
        if (ttl.compareTo(MAX_AFFINITY_TTL) > 0 || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw a.problem("ttl", "must be between 1s and 7d, got '" + a.string("ttl") + "'");
        }
        PolicyConfig.Affinity.TopicCheck check = a.optionalString("topic-check")
                .map(t -> named(PolicyConfig.Affinity.TopicCheck.values(), PolicyConfig.Affinity.TopicCheck::yamlName, t.trim())
                        .orElseThrow(() -> a.problem("topic-check", "expected context or alone, got '" + t + "'")))
                .orElse(PolicyConfig.Affinity.TopicCheck.CONTEXT);
        return new PolicyConfig.Affinity(a.bool("enabled", true),
                a.number("switch-confidence", PolicyConfig.Affinity.DEFAULT_SWITCH_CONFIDENCE, 0, 1), ttl, check);
    }

    /** The value whose name, as written in policies.yaml, is {@code text}. */
    static <E extends Enum<E>> Optional<E> named(E[] values, Function<E, String> yamlName, String text) {
        for (E value : values) {
            if (yamlName.apply(value).equals(text)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** A duration as operators write it: a whole number and a unit, {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}. */
    static Duration duration(ConfigNode node, String key, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw node.problem(key, "expected a duration such as 90s, 30m, 2h or 1d, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static PolicyConfig.Escalation escalation(ConfigNode esc, Set<String> expertIds) {
        esc.onlyKeys(Set.of("confidence-threshold", "mode", "expert", "top-k"));
        PolicyConfig.Escalation d = PolicyConfig.Escalation.DEFAULT;
        String modeName = esc.optionalString("mode").orElse(d.mode().yamlName());
        PolicyConfig.EscalationMode mode = named(PolicyConfig.EscalationMode.values(), PolicyConfig.EscalationMode::yamlName,
                modeName).orElseThrow(() -> esc.problem("mode", "unknown mode '" + modeName + "' (allowed: strongest, expert, top-k)"));
        Optional<String> expert = esc.optionalString("expert");
        expert.ifPresent(id -> ConfigNames.knownExpert(esc, "expert", id, expertIds));
        if (expert.isPresent() && mode != PolicyConfig.EscalationMode.EXPERT) {
            throw esc.problem("expert", "only used with mode: expert");
        }
        return new PolicyConfig.Escalation(esc.number("confidence-threshold", d.confidenceThreshold(), 0, 1), mode,
                expert, esc.integer("top-k", d.topK(), 1, 100));
    }
}
