package dev.expertrouter.config;

/** USD per one million tokens, as providers publish their prices. */
public record Price(double inputPerMtok, double outputPerMtok) {

    public static final Price FREE = new Price(0, 0);

    /** Estimated USD for a call with the given token counts. */
    public double costUsd(long inputTokens, long outputTokens) {
        return (inputTokens * inputPerMtok + outputTokens * outputPerMtok) / 1_000_000d;
    }
}
