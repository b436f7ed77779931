package org.pushpin.proxy.sig;

/** A key value that yields no usable key (unreadable file, unsupported PEM content, wrong EC curve). */
public final class SigningKeyException extends Exception {
    public SigningKeyException(String message) {
        super(message);
    }

    public SigningKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
