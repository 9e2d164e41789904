package io.junction.rest.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Request bodies: JSON only ({@code 415} otherwise), at most {@link #MAX_BYTES} ({@code 413}), read
 * strictly into a record by Jackson: malformed JSON, an unknown field, a value of the wrong type or a
 * duplicate field is a {@code 400} naming the field, never echoing the value (it may be a secret).
 */
final class JsonBody {
    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // a number or boolean where text is expected is the client's mistake, not something to convert
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();

    private JsonBody() {
    }

    static <T> T read(HttpServletRequest request, Class<T> type) {
        String contentType = request.getContentType();
        String media = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) {
            throw new ApiProblem(415, "the body must be application/json" + (contentType == null ? " (no Content-Type given)" : ", not " + media));
        }
        if (request.getContentLengthLong() > MAX_BYTES) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new ApiProblem(400, "the body could not be read: " + e.getMessage());
        }
        if (body.length > MAX_BYTES) {
            throw tooLarge();
        }
        return parse(body, type);
    }

    /** The body read strictly into the type. */
    static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new ApiProblem(400, "a JSON object is required as the body");
        }
        try {
            T value = STRICT.readValue(body, type);
            if (value == null) {
                throw new ApiProblem(400, "a JSON object is required as the body, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ApiProblem(400, "unknown field " + quote(path(e)) + "; known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new ApiProblem(400, field.isEmpty() ? "the body must be a JSON object" : "field " + quote(field) + " has the wrong type: "
                    + expected(e.getTargetType()));
        } catch (JsonParseException e) {
            throw new ApiProblem(400, (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")
                    ? "duplicate field " + quote(e.getProcessor() == null ? "" : currentName(e)) : "malformed JSON")
                    + where(e.getLocation()));
        } catch (JsonMappingException e) {
            throw new ApiProblem(400, "the body does not fit: field " + quote(path(e)));
        } catch (JsonProcessingException e) {
            throw new ApiProblem(400, "malformed JSON" + where(e.getLocation()));
        } catch (IOException e) {
            throw new ApiProblem(400, "the body could not be read");
        }
    }

    /** A required field: present and not blank. */
    static String required(String field, String value) {
        if (value == null) {
            throw new ApiProblem(400, "field " + quote(field) + " is required");
        }
        return value;
    }

    private static ApiProblem tooLarge() {
        return new ApiProblem(413, "the body is larger than " + MAX_BYTES / 1024 + " KiB");
    }

    private static String currentName(JsonParseException e) {
        try {
            String name = e.getProcessor().currentName();
            return name == null ? "" : name;
        } catch (IOException | RuntimeException ignored) {
            return "";
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "see the API description";
        }
        if (type == String.class) {
            return "a string is expected";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number is expected";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false is expected";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", ")) + " is expected";
        }
        return "an object is expected";
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String quote(String s) {
        return "'" + Problems.oneLine(s) + "'";
    }
}
