package io.junction.rest.internal;

import io.junction.api.security.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One route of the API as its resource declares it, in the service property {@value #PROPERTY}:
 * {@code "POST /api/v1/ems admin NewEms"}: the method, the path ({@code {name}} for one segment), the role
 * it needs ({@code public} for none), then optionally the name of the resource's record that holds the
 * body and {@code ?a,b} the query parameters it takes (any other is refused). The same declarations route requests and make the API description, so neither can drift.
 */
record Route(String method, String path, List<String> template, Role role, String body, List<String> query) {
    static final String PROPERTY = "junction.http.route";
    static final String PUBLIC = "public";

    static Route parse(String declaration) {
        String[] words = declaration.strip().split("\\s+");
        if (words.length < 3 || words.length > 5) {
            throw new IllegalArgumentException("a route is '<METHOD> <path> <role> [<body record>] [?<query>,...]': " + declaration);
        }
        Role role = words[2].equals(PUBLIC) ? null : Role.parse(words[2]);
        String body = null;
        List<String> query = List.of();
        for (int i = 3; i < words.length; i++) {
            if (words[i].startsWith("?")) {
                query = List.of(words[i].substring(1).split(","));
            } else {
                body = words[i];
            }
        }
        return new Route(words[0].toUpperCase(Locale.ROOT), words[1], segments(words[1]), role, body, query);
    }

    /** The declared routes in a service's properties. */
    static List<Route> of(Map<String, Object> properties) {
        Object value = properties.get(PROPERTY);
        List<Route> routes = new ArrayList<>();
        if (value instanceof String s) {
            routes.add(parse(s));
        } else if (value instanceof String[] all) {
            for (String s : all) {
                routes.add(parse(s));
            }
        }
        return routes;
    }

    static List<String> segments(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    /** Whether the path (in segments) is this route's, whatever the method. */
    boolean matches(List<String> path) {
        if (path.size() != template.size()) {
            return false;
        }
        for (int i = 0; i < path.size(); i++) {
            String t = template.get(i);
            if (!(t.startsWith("{") && t.endsWith("}")) && !t.equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The path parameters' names, in order. */
    List<String> parameters() {
        return template.stream().filter(t -> t.startsWith("{")).map(t -> t.substring(1, t.length() - 1)).toList();
    }
}
