# Hardening build options (sanitizers, fuzzers): see tests/fuzz/ and README "Security and robustness".
