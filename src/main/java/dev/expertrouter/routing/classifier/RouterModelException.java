package dev.expertrouter.routing.classifier;

/** A router model artifact that is missing, incomplete, corrupt or does not fit this gateway. */
public final class RouterModelException extends RuntimeException {

    public RouterModelException(String message) {
        super(message);
    }

    public RouterModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
