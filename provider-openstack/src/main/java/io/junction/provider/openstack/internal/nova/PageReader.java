package io.junction.provider.openstack.internal.nova;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.junction.api.ProviderException;
import io.junction.provider.openstack.internal.http.JsonHttp;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads one page of a list answer from its stream, one item at a time: Nova's
 * {@code {"servers": [...], "servers_links": [{"rel": "next", "href": ...}]}} and Glance's
 * {@code {"images": [...], "next": "/v2/images?marker=..."}}. Only one item is held at once.
 */
public final class PageReader {
    private PageReader() {
    }

    /** What a page held. */
    public record Page(long items, String next) {
    }

    /**
     * @param listField the array of items, e.g. {@code servers}
     * @return the count and the next page's link ({@code rel=next} of {@code <listField>_links}, or Glance's {@code next}), or none
     */
    public static Page read(InputStream in, String listField, Consumer<JsonNode> each) {
        long n = 0;
        String next = null;
        try (JsonParser p = JsonHttp.JSON.getFactory().createParser(in)) {
            p.setCodec(JsonHttp.JSON);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ProviderException("expected a JSON object with '" + listField + "'");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (field.equals(listField) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode item = p.readValueAsTree();
                        n++;
                        each.accept(item);
                    }
                } else if (field.equals(listField + "_links") && value == JsonToken.START_ARRAY) {
                    JsonNode links = p.readValueAsTree();
                    for (JsonNode link : links) {
                        if ("next".equals(link.path("rel").asText())) {
                            next = link.path("href").asText(null);
                        }
                    }
                } else if (field.equals("next") && value == JsonToken.VALUE_STRING) {
                    next = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ProviderException("unreadable " + listField + " page: " + e.getMessage(), e);
        }
        return new Page(n, next == null || next.isBlank() ? null : next);
    }

    /** The {@code marker} of a next-page link, or {@code null}. */
    public static String marker(String href) {
        if (href == null) {
            return null;
        }
        int q = href.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : href.substring(q + 1).split("&")) {
            if (pair.startsWith("marker=")) {
                return java.net.URLDecoder.decode(pair.substring(7), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
