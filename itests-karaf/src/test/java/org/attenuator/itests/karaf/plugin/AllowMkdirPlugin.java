package org.attenuator.itests.karaf.plugin;

import java.util.Dictionary;
import java.util.Hashtable;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallHandler;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A throwaway third-party plugin, packed by Maven into its own bundle (target/allow-mkdir-plugin.jar)
 * that the hot-swap test installs and uninstalls while a tree runs: it allows mkdir.
 */
public class AllowMkdirPlugin implements BundleActivator {

    private ServiceRegistration<SyscallHandler> registration;

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(SyscallHandler.SYSCALLS, new String[] {"mkdir", "mkdirat"});
        SyscallHandler allowMkdir = (event, handlerContext) -> Decision.allow();
        registration = context.registerService(SyscallHandler.class, allowMkdir, properties);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
    }
}
