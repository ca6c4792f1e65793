package dev.expertrouter.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.config.TenantConfig;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What {@code GET /admin/tenants/{name}/usage} shows: spend today and this month (UTC), the
 * limits and what is left of them.
 *
 * @param tenant          the tenant's name
 * @param daySpentUsd     spend counted today
 * @param monthSpentUsd   spend counted this month
 * @param usdPerDay       daily budget, when set
 * @param usdPerMonth     monthly budget, when set
 * @param dayResetsAt     start of the next UTC day
 * @param monthResetsAt   start of the next UTC month
 * @param requestsPerMinute requests limit, 0 = none
 * @param tokensPerMinute tokens limit, 0 = none
 * @param maxConcurrentRequests concurrency cap per replica, when set
 * @param inFlight        requests of the tenant in flight on this replica
 * @param shared          whether the spend comes from Redis (false: this replica's count, Redis is away)
 * @param unsharedUsd     spend counted while Redis was away, added to Redis once it answers
 */
public record TenantUsage(String tenant, double daySpentUsd, double monthSpentUsd, OptionalDouble usdPerDay,
        OptionalDouble usdPerMonth, Instant dayResetsAt, Instant monthResetsAt, long requestsPerMinute,
        long tokensPerMinute, OptionalInt maxConcurrentRequests, int inFlight, boolean shared, double unsharedUsd) {

    static TenantUsage of(TenantConfig tenant, LimitKeys keys, double day, double month, double unshared, boolean shared, int inFlight) {
        var l = tenant.limits();
        return new TenantUsage(tenant.name(), day, month,
                l.budget().filter(b -> b.usdPerDay() > 0).map(b -> OptionalDouble.of(b.usdPerDay())).orElse(OptionalDouble.empty()),
                l.budget().filter(b -> b.usdPerMonth() > 0).map(b -> OptionalDouble.of(b.usdPerMonth())).orElse(OptionalDouble.empty()),
                keys.dayEnd(), keys.monthEnd(),
                l.rateLimit().map(r -> r.requestsPerMinute()).orElse(0L), l.rateLimit().map(r -> r.tokensPerMinute()).orElse(0L),
                l.maxConcurrentRequests(), inFlight, shared, unshared);
    }

    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("tenant", tenant);
        ObjectNode spend = root.putObject("spend_usd");
        spend.put("today", daySpentUsd);
        spend.put("this_month", monthSpentUsd);
        spend.put("not_yet_shared", unsharedUsd);
        spend.put("source", shared ? "redis" : "local");
        ObjectNode budget = root.putObject("budget_usd");
        period(budget.putObject("day"), usdPerDay, daySpentUsd, dayResetsAt);
        period(budget.putObject("month"), usdPerMonth, monthSpentUsd, monthResetsAt);
        ObjectNode rate = root.putObject("rate_limit");
        putLimit(rate, "requests_per_minute", requestsPerMinute);
        putLimit(rate, "tokens_per_minute", tokensPerMinute);
        ObjectNode concurrency = root.putObject("concurrency");
        if (maxConcurrentRequests.isPresent()) {
            concurrency.put("max_per_replica", maxConcurrentRequests.getAsInt());
        } else {
            concurrency.putNull("max_per_replica");
        }
        concurrency.put("in_flight_here", inFlight);
        return root;
    }

    private static void period(ObjectNode node, OptionalDouble limit, double spent, Instant resetsAt) {
        if (limit.isPresent()) {
            node.put("limit", limit.getAsDouble());
            node.put("remaining", Math.max(0, limit.getAsDouble() - spent));
        } else {
            node.putNull("limit");
            node.putNull("remaining");
        }
        node.put("resets_at", resetsAt.toString());
    }

    private static void putLimit(ObjectNode node, String name, long limit) {
        if (limit > 0) {
            node.put(name, limit);
        } else {
            node.putNull(name);
        }
    }
}
