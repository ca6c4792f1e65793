package dev.expertrouter.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where one tenant's counters live in Redis (all under {@code router:rl:}) and the UTC day and
 * month its spend is counted in. Spend keys outlive their period a little, so the usage endpoint
 * and late settlements still find them.
 *
 * @param requests  sliding window of requests
 * @param tokens    sliding window of tokens
 * @param day       spend of the UTC day, nano-USD
 * @param month     spend of the UTC month, nano-USD
 * @param dayEnd    when {@code day} ends (the budget's reset)
 * @param monthEnd  when {@code month} ends
 */
record LimitKeys(String requests, String tokens, String day, String month, Instant dayEnd, Instant monthEnd) {

    static final String PREFIX = "router:rl:";
    static final Duration DAY_TTL = Duration.ofDays(3);
    static final Duration MONTH_TTL = Duration.ofDays(35);

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    static LimitKeys of(String tenant, Instant now) {
        LocalDate date = now.atZone(ZoneOffset.UTC).toLocalDate();
        String base = PREFIX + tenant + ":";
        return new LimitKeys(base + "req", base + "tok", base + "usd:d:" + DAY.format(date), base + "usd:m:" + MONTH.format(date),
                date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                date.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** Whether these keys are the given tenant's. */
    boolean tenant(String name) {
        return requests.equals(PREFIX + name + ":req");
    }
}
