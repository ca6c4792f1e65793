package dev.expertrouter.experts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Server-Sent Events byte stream into the data of each event. Buffers partial lines across
 * chunks; joins multi-line data with newlines; ignores comments, {@code event:} and {@code id:}.
 * Bounded, so an upstream that never ends a line cannot grow memory without limit.
 */
public final class SseParser {

    static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private byte[] carry = new byte[0];

    /** Feeds bytes; returns the events completed by them, in order. */
    public List<String> feed(byte[] bytes) {
        byte[] all = bytes;
        if (carry.length > 0) {
            all = new byte[carry.length + bytes.length];
            System.arraycopy(carry, 0, all, 0, carry.length);
            System.arraycopy(bytes, 0, all, carry.length, bytes.length);
        }
        List<String> events = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
                line.append(new String(all, start, end - start, StandardCharsets.UTF_8));
                endLine(events);
                start = i + 1;
            }
        }
        carry = start < all.length ? java.util.Arrays.copyOfRange(all, start, all.length) : new byte[0];
        if (carry.length + data.length() > MAX_EVENT_BYTES) {
            throw new IllegalStateException("server-sent event larger than " + MAX_EVENT_BYTES + " bytes");
        }
        return events;
    }

    /** At end of stream: the last event if the upstream did not end it with a blank line. */
    public List<String> finish() {
        List<String> events = new ArrayList<>();
        if (carry.length > 0) {
            line.append(new String(carry, StandardCharsets.UTF_8));
            carry = new byte[0];
            endLine(events);
        }
        if (hasData) {
            events.add(data.toString());
            data.setLength(0);
            hasData = false;
        }
        return events;
    }

    private void endLine(List<String> events) {
        String l = line.toString();
        line.setLength(0);
        if (l.isEmpty()) {
            if (hasData) {
                events.add(data.toString());
                data.setLength(0);
                hasData = false;
            }
            return;
        }
        if (l.startsWith("data:")) {
            String value = l.substring(5);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (hasData) {
                data.append('\n');
            }
            data.append(value);
            hasData = true;
        }
    }
}
