package io.seqvision.tasks.training;

/**
 * Linear warmup from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to {@code
 * floor} at {@code totalSteps}. Steps count from 0; a pure function of the step, so a resumed run
 * sees the same rates.
 */
public record LearningRateSchedule(double peak, double floor, int warmupSteps, int totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0) || floor < 0 || floor > peak || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("invalid schedule: peak " + peak + ", floor " + floor
                    + ", warmup " + warmupSteps + ", total " + totalSteps);
        }
    }

    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / (double) decaySteps);
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
