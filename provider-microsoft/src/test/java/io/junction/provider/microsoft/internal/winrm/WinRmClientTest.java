package io.junction.provider.microsoft.internal.winrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.AuthenticationException;
import io.junction.api.ProviderException;
import io.junction.simulators.winrm.SimulatorConfig;
import io.junction.simulators.winrm.WinRmSimulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client's transport choices against the WinRM simulator: which credentials go where, and what a fault says. */
class WinRmClientTest {
    static final String USER = "svc-junction";
    static final String PASSWORD = "pässword-1";

    static WinRmTarget target(WinRmSimulator sim, boolean basicOverHttpAllowed) {
        boolean https = sim.url().getScheme().equals("https");
        return new WinRmTarget("127.0.0.1", sim.port(), https, "", true, https ? sim.identity().caPem() : null,
                Duration.ofSeconds(5), Duration.ofSeconds(20), basicOverHttpAllowed);
    }

    @Test
    void aFaultLineCarriesWindowsOwnMessage() {
        try (WinRmSimulator sim = WinRmSimulator.start(SimulatorConfig.scvmm().account(USER, PASSWORD));
             WinRmClient client = new WinRmClient(target(sim, false), USER, PASSWORD.toCharArray())) {
            String unknownShell = "0F0E0D0C-0B0A-0908-0706-050403020100";
            ProviderException e = assertThrows(ProviderException.class, () -> client.post(
                    WsMan.delete(client.target().url(), unknownShell, Duration.ofSeconds(5)), client.newContext(), false));
            // the generic SOAP reason speaks of "invalid selectors"; Windows' f:Message says what happened
            assertTrue(e.getMessage().contains("ShellId " + unknownShell + " failed because the shell was not found on the server"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void basicOverPlainHttpIsNeverSentWithoutTheConnectionsAllowance() {
        try (WinRmSimulator sim = WinRmSimulator.start(SimulatorConfig.scvmm().account(USER, PASSWORD).plainHttp(true).ntlmAllowed(false));
             WinRmClient client = new WinRmClient(target(sim, false), USER, PASSWORD.toCharArray())) {
            AuthenticationException e = assertThrows(AuthenticationException.class, client::openShell);
            assertTrue(e.getMessage().contains("--allow-basic-over-http"), e.getMessage());
            assertTrue(e.getMessage().contains("offers only Basic authentication"), e.getMessage());
            assertEquals(java.util.List.of(), sim.authorizationSchemes(), "no Authorization header at all");
            assertEquals(java.util.List.of(), sim.authentications());
        }
    }

    @Test
    void basicOverPlainHttpWorksWhenTheConnectionAllowsIt() {
        try (WinRmSimulator sim = WinRmSimulator.start(SimulatorConfig.scvmm().account(USER, PASSWORD).plainHttp(true).ntlmAllowed(false));
             WinRmClient client = new WinRmClient(target(sim, true), USER, PASSWORD.toCharArray());
             WinRmShell shell = client.openShell()) {
            assertFalse(shell.shellId().isEmpty());
            assertEquals("Basic", sim.authentications().get(0).scheme());
        }
    }

    @Test
    void ntlmOverPlainHttpNeedsNoAllowanceAndBasicIsNotTried() {
        // NTLM never sends the password itself; the WinRM listener decides whether it takes unsealed messages.
        try (WinRmSimulator sim = WinRmSimulator.start(SimulatorConfig.scvmm().account(USER, PASSWORD).plainHttp(true));
             WinRmClient client = new WinRmClient(target(sim, false), USER, PASSWORD.toCharArray());
             WinRmShell shell = client.openShell()) {
            assertFalse(shell.shellId().isEmpty());
            assertFalse(sim.authorizationSchemes().contains("Basic"), sim.authorizationSchemes().toString());
            assertTrue(sim.authentications().stream().allMatch(a -> !a.scheme().equals("Basic")), sim.authentications().toString());
        }
    }

    @Test
    void wrongPasswordOverPlainHttpIsTheUsualRefusalNotTheBasicOne() {
        try (WinRmSimulator sim = WinRmSimulator.start(SimulatorConfig.scvmm().account(USER, PASSWORD).plainHttp(true));
             WinRmClient client = new WinRmClient(target(sim, false), USER, "wrong".toCharArray())) {
            AuthenticationException e = assertThrows(AuthenticationException.class, client::openShell);
            assertTrue(e.getMessage().contains("refused the credential"), e.getMessage());
            assertFalse(sim.authorizationSchemes().contains("Basic"), sim.authorizationSchemes().toString());
        }
    }
}
