package dev.expertrouter.api;

import java.util.regex.Pattern;

/**
 * What of an expert's error text may reach a client: bounded in length, without anything that
 * looks like a credential (API keys, bearer tokens, long hex or base64 runs) or a stack trace.
 * The expert's message about the request (e.g. a context length) stays readable.
 */
public final class ErrorText {

    static final int MAX_CHARS = 500;

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern KEY_PREFIXED = Pattern.compile("\\b(?:sk|pk|rk|api|key|xox[bap]|ghp|gho|AKIA)[A-Za-z0-9]*[-_][A-Za-z0-9_-]{8,}");
    private static final Pattern KEY_VALUE = Pattern.compile("(?i)\\b(api[-_]?key|token|secret|password|authorization)(\"?\\s*[:=]\\s*\"?)[^\\s\",}]+");
    private static final Pattern LONG_HEX = Pattern.compile("\\b[0-9a-fA-F]{32,}\\b");
    private static final Pattern LONG_BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{32,}={0,2}");
    /** A Java, Python or JS stack frame and everything after it. */
    private static final Pattern STACK = Pattern.compile(
            "(?s)(\\s+at\\s+[\\w$.<>]+\\(.*|\\s*Traceback \\(most recent call last\\).*|\\n\\s+File \".*)");
    private static final Pattern EXCEPTION_CLASS = Pattern.compile("\\b(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?");

    private ErrorText() {
    }

    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        String s = STACK.matcher(text).replaceAll("");
        s = EXCEPTION_CLASS.matcher(s).replaceAll("error:");
        s = BEARER.matcher(s).replaceAll("$1 [redacted]");
        s = KEY_VALUE.matcher(s).replaceAll("$1$2[redacted]");
        s = KEY_PREFIXED.matcher(s).replaceAll("[redacted]");
        s = LONG_HEX.matcher(s).replaceAll("[redacted]");
        s = LONG_BASE64.matcher(s).replaceAll("[redacted]");
        s = s.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "").strip();
        if (s.length() > MAX_CHARS) {
            s = s.substring(0, MAX_CHARS) + "...";
        }
        return s;
    }
}
