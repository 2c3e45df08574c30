-- One store-wide setting by key (e.g. 'demo').
SELECT value FROM settings WHERE key = $key
