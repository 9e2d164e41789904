package io.junction.simulators.winrm;

/** One successful authentication: the scheme ("Basic", "NTLM" or "Negotiate") and the names the client gave. */
public record Authentication(String scheme, String domain, String user) {
}
