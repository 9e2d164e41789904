package io.junction.api.service;

import java.util.Objects;

/**
 * How a service presents itself to operators.
 *
 * @param name        short name, e.g. {@code SCVMM}
 * @param description one line on what it talks to
 */
public record ServiceDescriptor(String name, String description) {
    public ServiceDescriptor {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
    }
}
