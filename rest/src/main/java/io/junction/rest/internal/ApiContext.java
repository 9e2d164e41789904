package io.junction.rest.internal;

import io.junction.api.security.AccessPolicy;
import io.junction.api.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;

/**
 * The servlet context of every authenticated web door (the REST API, later the web console): each
 * request is authenticated by the {@link AccessPolicy} the consoles use (HTTP Basic over TLS, or an
 * API token as {@code Authorization: Bearer}) before
 * any servlet sees it. A servlet joins it by selecting
 * {@code (osgi.http.whiteboard.context.name=junction)}; the caller is then the request attribute
 * {@link #CALLER}. Roles are checked by each route, which knows the one it needs.
 */
@Component(service = ServletContextHelper.class, property = {
        "osgi.http.whiteboard.context.name=" + ApiContext.NAME,
        "osgi.http.whiteboard.context.path=/"})
public class ApiContext extends ServletContextHelper {
    static final String NAME = "junction";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    /** Request attribute holding the authenticated {@link Caller}. */
    static final String CALLER = "io.junction.caller";
    static final String CHALLENGE = "Basic realm=\"Junction\", charset=\"UTF-8\"";

    private final AccessPolicy policy;

    @Activate
    public ApiContext(@Reference AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return unauthorized(response, "credentials are required: HTTP Basic with a user made by user:add, or an API token from user:token as Bearer");
        }
        String origin = "https/" + request.getRemoteAddr() + ":" + request.getRemotePort();
        Optional<Caller> caller;
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        boolean bearer = scheme.equalsIgnoreCase("Bearer");
        if (space > 0 && scheme.equalsIgnoreCase("Basic")) {
            caller = basic(header.substring(space + 1).strip(), origin);
        } else if (space > 0 && bearer) {
            caller = policy.loginWithToken(header.substring(space + 1).strip(), origin);
        } else {
            return unauthorized(response, "unsupported authorization scheme; use Basic or Bearer");
        }
        if (caller.isEmpty()) {
            return unauthorized(response, bearer ? "unknown or revoked API token" : "wrong user name or password");
        }
        request.setAttribute(CALLER, caller.get());
        request.setAttribute(REMOTE_USER, caller.get().user());
        request.setAttribute(AUTHENTICATION_TYPE, bearer ? "Bearer" : HttpServletRequest.BASIC_AUTH);
        return true;
    }

    private Optional<Caller> basic(String token, String origin) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        char[] text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded));
            text = new char[chars.remaining()];
            chars.get(text);
            Arrays.fill(chars.array(), '\0');
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
        try {
            int colon = -1;
            for (int i = 0; i < text.length; i++) {
                if (text[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= 0) {
                return Optional.empty();
            }
            String user = new String(text, 0, colon);
            char[] password = Arrays.copyOfRange(text, colon + 1, text.length);
            try {
                return policy.loginWithPassword(user, password, origin);
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(text, '\0');
        }
    }

    private static boolean unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", CHALLENGE);
        response.addHeader("WWW-Authenticate", "Bearer realm=\"Junction\"");
        Problems.send(response, HttpServletResponse.SC_UNAUTHORIZED, detail);
        return false;
    }
}
