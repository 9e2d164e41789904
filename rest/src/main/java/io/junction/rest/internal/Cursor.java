package io.junction.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Base64;

/**
 * The opaque cursor of a page: where the next page starts (the last item's name and reference), as
 * base64url of a small JSON array with a version, so its form can change without clients noticing.
 */
final class Cursor {
    private static final String VERSION = "v1";

    private Cursor() {
    }

    static String encode(String name, String ref) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ApiServlet.JSON.writeValueAsBytes(new String[] {VERSION, name, ref}));
        } catch (IOException e) {
            throw new IllegalStateException("an array of strings is always JSON", e);
        }
    }

    /** The name and reference the cursor holds; a 400 for anything that is not a cursor this API made. */
    static String[] decode(String cursor) {
        try {
            JsonNode a = ApiServlet.JSON.readTree(Base64.getUrlDecoder().decode(cursor));
            if (a != null && a.isArray() && a.size() == 3 && VERSION.equals(a.get(0).asText())
                    && a.get(1).isTextual() && a.get(2).isTextual()) {
                return new String[] {a.get(1).asText(), a.get(2).asText()};
            }
        } catch (IOException | IllegalArgumentException e) {
            // below
        }
        throw new ApiProblem(HttpServletResponse.SC_BAD_REQUEST, "query parameter 'cursor' is not a cursor of this API: "
                + "take nextCursor (or the next link) of the previous page");
    }
}
