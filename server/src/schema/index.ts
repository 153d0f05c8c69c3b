import { builder } from '../builder.js';
import './common.js';
import './viewer.js';
import './api-keys.js';
import './datasets-types.js';
import './conversations.js';
import './datasets.js';
import './trainer.js';
import './training.js';
import './artifacts.js';
import './jobs.js';
import './settings.js';
import './notifications.js';
import './spend.js';
import './metrics.js';
import './jobs-live.js';

export const schema = builder.toSchema({ sortSchema: false });
