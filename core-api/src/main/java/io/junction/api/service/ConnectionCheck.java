package io.junction.api.service;

import io.junction.api.Connection;
import java.time.Duration;

/**
 * The outcome of checking one connection with its own credential.
 *
 * @param connection the connection checked
 * @param service    the service that checked it, or {@code null} when none is installed for its role
 * @param status     {@link #OK}, {@link #UNREACHABLE}, {@link #AUTH_FAILED}, {@link #TLS_UNTRUSTED},
 *                   {@link #NO_CREDENTIAL}, {@link #NO_SERVICE} or {@link #ERROR}
 * @param detail     the error's message, empty when ok
 * @param took       how long the check took
 */
public record ConnectionCheck(Connection connection, String service, String status, String detail, Duration took) {
    public static final String OK = "ok";
    public static final String UNREACHABLE = "unreachable";
    public static final String AUTH_FAILED = "auth-failed";
    public static final String TLS_UNTRUSTED = "tls-untrusted";
    public static final String NO_CREDENTIAL = "no-credential";
    public static final String NO_SERVICE = "no-service";
    public static final String ERROR = "error";
}
