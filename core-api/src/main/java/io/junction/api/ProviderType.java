package io.junction.api;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The description of a kind of EMS ({@code microsoft}, {@code openstack}), registered as an OSGi
 * service by the provider bundle that knows it.
 */
public interface ProviderType {
    /** Short lower-case id used in commands and stored with each EMS. */
    String id();

    /** Name shown to people, e.g. {@code Microsoft System Center}. */
    String displayName();

    /** The connection roles the type knows, in the order they are shown. */
    List<RoleSpec> roles();

    /** The role with that name, if the type knows it. */
    default Optional<RoleSpec> role(String role) {
        return roles().stream().filter(r -> r.role().equals(role)).findFirst();
    }

    /**
     * The role with that name.
     *
     * @throws InvalidInputException listing the type's roles when it has no such role
     */
    default RoleSpec requireRole(String role) {
        return role(role).orElseThrow(() -> new InvalidInputException("unknown role " + ShownText.quote(role) + " for provider type '"
                + id() + "'; its roles: " + roles().stream().map(RoleSpec::role).collect(Collectors.joining(", "))));
    }
}
