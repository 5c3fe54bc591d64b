/* Plans: variants, comparisons, sweeps (helper `plans`). */
