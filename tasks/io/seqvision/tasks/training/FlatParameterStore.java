package io.seqvision.tasks.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A {@link ParameterStore} that hands blocks the views of {@link FlatParameters} (in their compute
 * type) instead of the parameters' own arrays; parameters not held there (BatchNorm's running
 * statistics, frozen ones) come from their own arrays as usual. Single device: the device of the
 * masters.
 */
public final class FlatParameterStore extends ParameterStore {

    private final FlatParameters flat;

    FlatParameterStore(NDManager manager, FlatParameters flat) {
        super(manager, false);
        this.flat = flat;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        NDArray view = flat.view(parameter, training);
        if (view == null) {
            return super.getValue(parameter, device, training);
        }
        if (!view.getDevice().equals(device)) {
            throw new IllegalArgumentException("parameter '" + parameter.getName() + "' lives on " + view.getDevice()
                    + ", the block asked for it on " + device + "; FlatParameterStore serves one device");
        }
        return view;
    }
}
