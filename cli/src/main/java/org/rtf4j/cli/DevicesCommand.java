package org.rtf4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.rtf4j.kernels.opencl.DeviceInfo;
import org.rtf4j.kernels.opencl.OpenClDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./rtf4j devices}: OpenCL platforms and devices with their limits. */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List OpenCL platforms and devices with their limits (select with --platform/--device).")
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("jvm: " + Runtime.getRuntime().availableProcessors() + " processor(s), Java "
            + System.getProperty("java.version"));
        String why = OpenClDevices.unavailableReason();
        if (why != null) {
            out.println("opencl: " + why + " (see device-config/README.md)");
            out.flush();
            return 0;
        }
        List<DeviceInfo> all = OpenClDevices.list();
        for (DeviceInfo d : all) {
            out.println("opencl " + d.describe());
            out.printf("        vendor %s, max allocation %.2f GiB%n", d.vendor(), d.maxAllocBytes() / (double) (1L << 30));
        }
        out.flush();
        return 0;
    }
}
