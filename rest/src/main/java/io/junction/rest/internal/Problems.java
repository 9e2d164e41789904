package io.junction.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Error answers as RFC 9457 problem details ({@code application/problem+json}): a status, a one-line
 * title (the status's own phrase) and a one-line detail saying what was wrong and what to do.
 * Never a stack trace, never a secret: the detail comes from messages written for operators.
 */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static void send(HttpServletResponse response, int status, String detail) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", oneLine(detail));
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    /** Line breaks and other control characters would let a message forge lines in a client's log. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        return text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    }
}
