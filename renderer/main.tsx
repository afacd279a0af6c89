import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectClient, NoTokenError } from './client/index';
import { incidentsStore } from './stores/incidents';
import { sessionStore } from './stores/session';
import { pictureStore } from './stores/picture';
import { dispatchStore } from './stores/dispatch';
import { annotationsStore } from './stores/annotations';
import { indicatorsStore } from './stores/indicators';
import { calendarStore } from './stores/calendar';
import { syncStore } from './stores/sync';
import { mapSelectionStore } from './stores/mapSelection';
import { replayForecastsStore } from './stores/replayForecasts';
import { replayLayersStore } from './stores/replayLayers';
import { searchStore } from './stores/search';
import { alarmsStore } from './stores/alarms';
import { translate, useLocaleStore } from './i18n/index';
import './ui/theme.css';

const root = createRoot(document.getElementById('root')!);
document.documentElement.lang = useLocaleStore.getState().locale;

try {
  const client = connectClient();
  root.render(
    <StrictMode>
      <sessionStore.Provider>
        <incidentsStore.Provider>
          <pictureStore.Provider>
            <dispatchStore.Provider>
              <annotationsStore.Provider>
                <indicatorsStore.Provider>
                  <calendarStore.Provider>
                    <syncStore.Provider>
                      <mapSelectionStore.Provider>
                        <replayForecastsStore.Provider>
                          <replayLayersStore.Provider>
                            <searchStore.Provider>
                              <alarmsStore.Provider>
                                <App client={client} />
                              </alarmsStore.Provider>
                            </searchStore.Provider>
                          </replayLayersStore.Provider>
                        </replayForecastsStore.Provider>
                      </mapSelectionStore.Provider>
                    </syncStore.Provider>
                  </calendarStore.Provider>
                </indicatorsStore.Provider>
              </annotationsStore.Provider>
            </dispatchStore.Provider>
          </pictureStore.Provider>
        </incidentsStore.Provider>
      </sessionStore.Provider>
    </StrictMode>,
  );
} catch (error) {
  if (!(error instanceof NoTokenError)) throw error;
  root.render(<p className="fatal" role="alert">{translate(useLocaleStore.getState().locale, 'app.noToken')}</p>);
}
