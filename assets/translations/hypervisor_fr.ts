<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <location filename="../../hypervisor/console/about.py" line="+21"/>
        <source>&lt;h3&gt;Urban hypervision console {version}&lt;/h3&gt;&lt;p&gt;Open-source supervision of a city&apos;s lighting, heating, waste and water networks.&lt;br&gt;Licence: AGPL-3.0-or-later.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Map data&lt;/b&gt;&lt;br&gt;Commune outlines of Dijon Métropole: IGN – ADMIN EXPRESS, Licence Ouverte / Etalab 2.0.&lt;br&gt;Divia tram and bus stops: © OpenStreetMap contributors, ODbL 1.0.&lt;br&gt;Streets, the Ouche and Lac Kir are generated.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Console d&apos;hypervision urbaine {version}&lt;/h3&gt;&lt;p&gt;Supervision libre de l&apos;éclairage, du chauffage, des déchets et de l&apos;eau d&apos;une ville.&lt;br&gt;Licence : AGPL-3.0-or-later.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Données cartographiques&lt;/b&gt;&lt;br&gt;Contours des communes de Dijon Métropole : IGN – ADMIN EXPRESS, Licence Ouverte / Etalab 2.0.&lt;br&gt;Arrêts de tram et de bus Divia : © les contributeurs d&apos;OpenStreetMap, ODbL 1.0.&lt;br&gt;Les rues, l&apos;Ouche et le lac Kir sont générés.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About and data sources…</source>
        <translation>À propos et sources des données…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About</source>
        <translation>À propos</translation>
    </message>
</context>
<context>
    <name>AlarmDetail</name>
    <message>
        <location filename="../../hypervisor/console/alarm_detail.py" line="+28"/>
        <source>{text} ({conditions})</source>
        <translation>{text} ({conditions})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>device reports offline</source>
        <translation>l&apos;appareil se déclare hors ligne</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no data for {minutes} min (limit {limit} min)</source>
        <translation>aucune donnée depuis {minutes} min (limite {limit} min)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>all of: {alarms}</source>
        <translation>toutes ces alarmes : {alarms}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>any of: {alarms}</source>
        <translation>l&apos;une de ces alarmes : {alarms}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{metric} {value}, changing faster than allowed over {window} s</source>
        <translation>{metric} {value}, varie plus vite qu&apos;admis sur {window} s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{metric}: {value}</source>
        <translation>{metric} : {value}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>members</source>
        <translation>membres</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{metric} below {reference}</source>
        <translation>{metric} sous {reference}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{metric} above {reference}</source>
        <translation>{metric} au-dessus de {reference}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{metric}: {reference}</source>
        <translation>{metric} : {reference}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} of {total} {members} ({pct} %), {test}</source>
        <translation>{count} {members} sur {total} ({pct} %), {test}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{metric} {value}</source>
        <translation>{metric} {value}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>very high</source>
        <translation>très haut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>high</source>
        <translation>haut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>low</source>
        <translation>bas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>very low</source>
        <translation>très bas</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{metric} {value}, above its {level} limit of {limit}</source>
        <translation>{metric} {value}, au-dessus du seuil {level} de {limit}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{metric} {value}, below its {level} limit of {limit}</source>
        <translation>{metric} {value}, sous le seuil {level} de {limit}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>daytime</source>
        <translation>jour</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>night</source>
        <translation>nuit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>occupied</source>
        <translation>occupé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unoccupied</source>
        <translation>inoccupé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>heating season</source>
        <translation>saison de chauffe</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>non</translation>
    </message>
</context>
<context>
    <name>AlarmDialogs</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="+43"/>
        <source>1 alarm selected</source>
        <translation>1 alarme sélectionnée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} alarms selected</source>
        <translation>{count} alarmes sélectionnées</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>and {count} more</source>
        <translation>et {count} de plus</translation>
    </message>
</context>
<context>
    <name>AlarmFilterBar</name>
    <message>
        <location filename="../../widgets/alarms/filter_bar.py" line="+28"/>
        <source>All priorities</source>
        <translation>Toutes les priorités</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All domains</source>
        <translation>Tous les métiers</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+43"/>
        <source>All districts</source>
        <translation>Tous les quartiers</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Alarm list</source>
        <translation>Liste des alarmes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unacknowledged</source>
        <translation>Non acquittées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Acquittées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed</source>
        <translation>Masquées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out of service</source>
        <translation>Hors service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All states</source>
        <translation>Tous les états</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search asset, message, rule…</source>
        <translation>Rechercher un équipement, un message, une règle…</translation>
    </message>
</context>
<context>
    <name>AlarmGroupModel</name>
    <message>
        <location filename="../../widgets/alarms/grouping.py" line="+48"/>
        <source>grouped by rule and district</source>
        <translation>regroupées par règle et quartier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>grouped by rule</source>
        <translation>regroupées par règle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>grouped by district</source>
        <translation>regroupées par quartier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>grouped by domain and district</source>
        <translation>regroupées par métier et quartier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>grouped by domain</source>
        <translation>regroupées par métier</translation>
    </message>
    <message>
        <location line="+143"/>
        <source>1 alarm, {unacked} unacknowledged</source>
        <translation>1 alarme, {unacked} non acquittée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} alarms, {unacked} unacknowledged</source>
        <translation>{count} alarmes, non acquittées : {unacked}</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <location filename="../../widgets/alarms/view.py" line="+197"/>
        <source>Acknowledge</source>
        <translation>Acquitter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledge all visible</source>
        <translation>Acquitter toutes les alarmes affichées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment…</source>
        <translation>Commenter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelve…</source>
        <translation>Mettre en attente…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unshelve</source>
        <translation>Sortir d&apos;attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset…</source>
        <translation>Réarmer…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset latched alarms whose condition cleared, after checking on site</source>
        <translation>Réarmer les alarmes verrouillées dont la condition a disparu, après vérification sur place</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>▲ {count} new</source>
        <translation>▲ {count} nouvelles</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New alarms wait while you work in the list; click to show them</source>
        <translation>Les nouvelles alarmes attendent pendant que vous travaillez dans la liste ; cliquez pour les afficher</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Alarm flood since {time}: {count} new alarms in {minutes} min — {grouping}</source>
        <translation>Avalanche d&apos;alarmes depuis {time} : {count} nouvelles alarmes en {minutes} min — {grouping}</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>{active} active, {unacked} unacknowledged</source>
        <translation>Actives : {active}, non acquittées : {unacked}</translation>
    </message>
</context>
<context>
    <name>AlarmPerformance</name>
    <message>
        <location filename="../../hypervisor/console/alarm_performance.py" line="+100"/>
        <source>Alarm performance</source>
        <translation>Performance des alarmes</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{start} to {end}, one operator position</source>
        <translation>Du {start} au {end}, un poste de supervision</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Computing the figures of the period…</source>
        <translation>Calcul des indicateurs de la période…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The figures could not be computed: {error}</source>
        <translation>Les indicateurs n&apos;ont pas pu être calculés : {error}</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Alarm performance…</source>
        <translation>Performance des alarmes…</translation>
    </message>
</context>
<context>
    <name>AlarmReport</name>
    <message>
        <location filename="../../hypervisor/reports/alarm_report.py" line="+21"/>
        <location line="+1"/>
        <location filename="../../hypervisor/reports/alarm_tables.py" line="+70"/>
        <source>Alarm system performance</source>
        <translation>Performance du système d&apos;alarmes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period: {start} – {end} ({zone}); operator positions: {positions}</source>
        <translation>Période : {start} – {end} ({zone}) ; postes de supervision : {positions}</translation>
    </message>
    <message>
        <location filename="../../hypervisor/reports/alarm_tables.py" line="-18"/>
        <source>within</source>
        <translation>respecté</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>above</source>
        <translation>dépassé</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Figure</source>
        <translation>Indicateur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>EEMUA 191 benchmark</source>
        <translation>Référence EEMUA 191</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Alarms raised</source>
        <translation>Alarmes apparues</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Average alarms per hour per position</source>
        <translation>Moyenne d&apos;alarmes par heure et par poste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Average alarms per 10 minutes per position</source>
        <translation>Moyenne d&apos;alarmes par 10 minutes et par poste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>10-minute periods in flood (more than 10 alarms)</source>
        <translation>Périodes de 10 minutes en avalanche (plus de 10 alarmes)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Peak alarms in 10 minutes</source>
        <translation>Pic d&apos;alarmes en 10 minutes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chattering alarms (3 or more in a minute)</source>
        <translation>Alarmes battantes (3 ou plus en une minute)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fleeting annunciations (back to normal within a minute)</source>
        <translation>Alarmes fugitives (retour à la normale en moins d&apos;une minute)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stale alarms (standing over 24 h)</source>
        <translation>Alarmes persistantes (présentes plus de 24 h)</translation>
    </message>
    <message>
        <location filename="../../hypervisor/reports/alarm_report.py" line="+6"/>
        <source>Alarms per hour</source>
        <translation>Alarmes par heure</translation>
    </message>
    <message>
        <location filename="../../hypervisor/reports/alarm_tables.py" line="+10"/>
        <source>Priority distribution</source>
        <translation>Répartition par priorité</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <location line="+16"/>
        <location line="+8"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location line="-33"/>
        <location line="+10"/>
        <location line="+7"/>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Share</source>
        <translation>Part</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target (ISA-18.2)</source>
        <translation>Cible (ISA-18.2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Critical and high together are set against the 5 % target.</source>
        <translation>Critique et haute ensemble sont comparées à la cible de 5 %.</translation>
    </message>
    <message>
        <location filename="../../hypervisor/reports/alarm_report.py" line="+3"/>
        <location filename="../../hypervisor/reports/alarm_tables.py" line="+4"/>
        <source>Top 10 most frequent alarms (bad actors)</source>
        <translation>Les 10 alarmes les plus fréquentes (mauvais acteurs)</translation>
    </message>
    <message>
        <location filename="../../hypervisor/reports/alarm_tables.py" line="+1"/>
        <location line="+8"/>
        <location line="+8"/>
        <source>Alarm</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Share of all alarms</source>
        <translation>Part de toutes les alarmes</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chattering alarms</source>
        <translation>Alarmes battantes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Raised {count} times or more within one minute.</source>
        <translation>Apparues {count} fois ou plus en une minute.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stale alarms</source>
        <translation>Alarmes persistantes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Raised</source>
        <translation>Apparition</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Standing (hours)</source>
        <translation>Présente depuis (heures)</translation>
    </message>
    <message>
        <location filename="../../hypervisor/reports/alarm_report.py" line="+4"/>
        <source>Operator response</source>
        <translation>Réponse des opérateurs</translation>
    </message>
    <message>
        <location filename="../../hypervisor/reports/alarm_tables.py" line="+6"/>
        <source>Time to acknowledge by priority</source>
        <translation>Délai d&apos;acquittement par priorité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Acquittées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Median</source>
        <translation>Médiane</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>90th percentile</source>
        <translation>90e centile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not acknowledged</source>
        <translation>Non acquittées</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Shelving</source>
        <translation>Mises en attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelvings</source>
        <translation>Mises en attente</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Total (hours)</source>
        <translation>Total (heures)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Median (minutes)</source>
        <translation>Médiane (minutes)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Longest (hours)</source>
        <translation>La plus longue (heures)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>An alarm is counted when it reaches the operators (raised, unacknowledged). A 10-minute period is in flood when more than {flood} alarms per position fall in it. Fleeting: back to normal within a minute. Stale: standing more than 24 hours.</source>
        <translation>Une alarme est comptée quand elle parvient aux opérateurs (apparue, non acquittée). Une période de 10 minutes est en avalanche quand plus de {flood} alarmes par poste y apparaissent. Fugitive : retour à la normale en moins d&apos;une minute. Persistante : présente plus de 24 heures.</translation>
    </message>
</context>
<context>
    <name>AlarmRows</name>
    <message>
        <location filename="../../hypervisor/console/alarm_rows.py" line="+38"/>
        <source>District {name}</source>
        <translation>Quartier {name}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Orphaned: its rule changed</source>
        <translation>Orpheline : sa règle a changé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Orphaned: its rule was removed</source>
        <translation>Orpheline : sa règle a été supprimée</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <location filename="../../widgets/alarms/model.py" line="+90"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Raised</source>
        <translation>Apparition</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Asset</source>
        <translation>Équipement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>District</source>
        <translation>Quartier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Domain</source>
        <translation>Métier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged by</source>
        <translation>Acquittée par</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Critical</source>
        <translation>Critique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>High</source>
        <translation>Haute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Medium</source>
        <translation>Moyenne</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Low</source>
        <translation>Basse</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Lighting</source>
        <translation>Éclairage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heating</source>
        <translation>Chauffage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waste</source>
        <translation>Déchets</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Water</source>
        <translation>Eau</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Normal</source>
        <translation>Normale</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unacknowledged</source>
        <translation>Non acquittée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged</source>
        <translation>Acquittée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Returned (unack.)</source>
        <translation>Revenue (non acquittée)</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Shelved until {time}</source>
        <translation>En attente jusqu&apos;à {time}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Shelved</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suppressed</source>
        <translation>Masquée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Out of service</source>
        <translation>Hors service</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Rule: {rule}</source>
        <translation>Règle : {rule}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Value: {value}</source>
        <translation>Valeur : {value}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shelved by {user}: {reason}</source>
        <translation>Mise de côté par {user} : {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shelved: {reason}</source>
        <translation>Mise en attente : {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comment by {user} at {time}: {text}</source>
        <translation>Commentaire de {user} à {time} : {text}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Comment: {text}</source>
        <translation>Commentaire : {text}</translation>
    </message>
</context>
<context>
    <name>AssetPanel</name>
    <message>
        <location filename="../../hypervisor/console/panels/asset_panel.py" line="+44"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Select an asset on the map or in the alarm list</source>
        <translation>Sélectionnez un équipement sur le plan ou dans la liste des alarmes</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Metric</source>
        <translation>Mesure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation>Mise à jour</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Last 24 h</source>
        <translation>Dernières 24 h</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>parent</source>
        <translation>parent</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>no data since {time}</source>
        <translation>pas de données depuis {time}</translation>
    </message>
</context>
<context>
    <name>CityMap</name>
    <message>
        <location filename="../../widgets/citymap/decorations.py" line="+29"/>
        <source>{0} km</source>
        <translation>{0} km</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} m</source>
        <translation>{0} m</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <location filename="../../widgets/citymap/navigation.py" line="+38"/>
        <source>low</source>
        <translation>basse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>medium</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>high</source>
        <translation>haute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>critical</source>
        <translation>critique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} assets</source>
        <translation>{0} équipements</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>worst alarm: {0}</source>
        <translation>alarme la plus grave : {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/citymap/view.py" line="+49"/>
        <source>City map</source>
        <translation>Plan de la ville</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="+80"/>
        <source>Comment on alarms</source>
        <translation>Commenter des alarmes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What you saw or did</source>
        <translation>Ce que vous avez constaté ou fait</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add comment</source>
        <translation>Ajouter le commentaire</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <location filename="../../hypervisor/console/window.py" line="+86"/>
        <source>Urban hypervision — {user}</source>
        <translation>Hypervision urbaine — {user}</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Asset</source>
        <translation>Équipement</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Request failed: {text}</source>
        <translation>Échec de la demande : {text}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>&amp;Console</source>
        <translation>&amp;Console</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Alarms</source>
        <translation>&amp;Alarmes</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Map layers</source>
        <translation>Couches du plan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lighting</source>
        <translation>Éclairage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heating</source>
        <translation>Chauffage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waste</source>
        <translation>Déchets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Water</source>
        <translation>Eau</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Wall mode (full screen)</source>
        <translation>Mode mur d&apos;images (plein écran)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Whole city</source>
        <translation>Toute la ville</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reset layout</source>
        <translation>Réinitialiser la disposition</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>no data yet</source>
        <translation>pas encore de données</translation>
    </message>
    <message>
        <location filename="../../hypervisor/app.py" line="+181"/>
        <source>Urban hypervision — REPLAY — {file}</source>
        <translation>Hypervision urbaine — REJEU — {file}</translation>
    </message>
</context>
<context>
    <name>Debrief</name>
    <message>
        <location filename="../../hypervisor/training/debrief_pdf.py" line="+31"/>
        <source>met</source>
        <translation>tenu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>late</source>
        <translation>en retard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missed</source>
        <translation>manqué</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>over-reacted</source>
        <translation>sur-réaction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>alarm not raised</source>
        <translation>alarme non levée</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>beginner</source>
        <translation>débutant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>intermediate</source>
        <translation>intermédiaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>advanced</source>
        <translation>confirmé</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>TRAINING</source>
        <translation>FORMATION</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+88"/>
        <source>Training debrief</source>
        <translation>Compte rendu d&apos;exercice</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>Briefing</source>
        <translation>Consignes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Injections</source>
        <translation>Injections</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At</source>
        <translation>À</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trainees</source>
        <translation>Stagiaires</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No trainee acted during the session.</source>
        <translation>Aucun stagiaire n&apos;a agi pendant la session.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trainer notes</source>
        <translation>Notes du formateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expected response</source>
        <translation>Réponse attendue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Response time</source>
        <translation>Temps de réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>by hand</source>
        <translation>à la main</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused</source>
        <translation>refusé</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Scenario</source>
        <translation>Scénario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Session</source>
        <translation>Session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trainer</source>
        <translation>Formateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulated period</source>
        <translation>Période simulée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Level</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Historian file (open it in REPLAY)</source>
        <translation>Fichier historique (à ouvrir en REJEU)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Trainee {user}: score {score:.0f} %</source>
        <translation>Stagiaire {user} : note {score:.0f} %</translation>
    </message>
</context>
<context>
    <name>DomainPanel</name>
    <message>
        <location filename="../../hypervisor/console/panels/domain_panel.py" line="+35"/>
        <source>Lighting</source>
        <translation>Éclairage</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lighting power</source>
        <translation>Puissance d&apos;éclairage</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Luminaires lit</source>
        <translation>Luminaires allumés</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Heating</source>
        <translation>Chauffage</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mean indoor temperature</source>
        <translation>Température intérieure moyenne</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Buildings out of comfort</source>
        <translation>Bâtiments hors confort</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Waste</source>
        <translation>Déchets</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mean container fill</source>
        <translation>Remplissage moyen des conteneurs</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Containers over 80 %</source>
        <translation>Conteneurs remplis à plus de 80 %</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Water</source>
        <translation>Eau</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lowest network pressure</source>
        <translation>Pression réseau minimale</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Network flow</source>
        <translation>Débit réseau</translation>
    </message>
</context>
<context>
    <name>ExportPeriodDialog</name>
    <message>
        <location filename="../../hypervisor/console/export_period.py" line="+18"/>
        <source>Period to export</source>
        <translation>Période à exporter</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Times are the city&apos;s ({zone}).</source>
        <translation>Heures de la ville ({zone}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>Au</translation>
    </message>
</context>
<context>
    <name>GaugeWidget</name>
    <message>
        <location filename="../../widgets/gauge.py" line="+27"/>
        <source>Critical alarm</source>
        <translation>Alarme critique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>High alarm</source>
        <translation>Alarme haute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Medium alarm</source>
        <translation>Alarme moyenne</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Low alarm</source>
        <translation>Alarme basse</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Last value at {time}</source>
        <translation>Dernière valeur à {time}</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>no data since {time}</source>
        <translation>pas de données depuis {time}</translation>
    </message>
</context>
<context>
    <name>IncidentActions</name>
    <message>
        <location filename="../../hypervisor/console/incident_actions.py" line="+42"/>
        <source>&amp;Incident</source>
        <translation>&amp;Incident</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Report…</source>
        <translation>Rapport…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Export the incident</source>
        <translation>Exporter l&apos;incident</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incident files (*.sqlite)</source>
        <translation>Fichiers d&apos;incident (*.sqlite)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Exporting the incident…</source>
        <translation>Export de l&apos;incident…</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Incident exported to {file} ({mb} MB)</source>
        <translation>Incident exporté dans {file} ({mb} Mo)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export failed</source>
        <translation>Échec de l&apos;export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The incident could not be exported: {error}</source>
        <translation>L&apos;incident n&apos;a pas pu être exporté : {error}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Incident report</source>
        <translation>Rapport d&apos;incident</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Report failed</source>
        <translation>Échec du rapport</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The report could not be written: {error}</source>
        <translation>Le rapport n&apos;a pas pu être écrit : {error}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Report written to {file}</source>
        <translation>Rapport écrit dans {file}</translation>
    </message>
</context>
<context>
    <name>IncidentReport</name>
    <message>
        <location filename="../../hypervisor/reports/incident_report.py" line="+34"/>
        <location line="+12"/>
        <source>Incident report</source>
        <translation>Rapport d&apos;incident</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the whole city</source>
        <translation>toute la ville</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scope</source>
        <translation>Périmètre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployment</source>
        <translation>Déploiement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported by</source>
        <translation>Exporté par</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Software version</source>
        <translation>Version du logiciel</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+93"/>
        <source>Verification</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>Item</source>
        <translation>Élément</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+23"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Alarms standing at the peak, {time}: {count}</source>
        <translation>Alarmes présentes au plus fort, {time} : {count}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>TAMPERED: {finding}</source>
        <translation>ALTÉRÉ : {finding}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not proven: records not covered by a signature</source>
        <translation>non prouvé : des enregistrements ne sont couverts par aucune signature</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>intact: {records} records chained and signed</source>
        <translation>intègre : {records} enregistrements chaînés et signés</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Alarm load (EEMUA 191)</source>
        <translation>Charge d&apos;alarmes (EEMUA 191)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figure</source>
        <translation>Indicateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarms raised</source>
        <translation>Alarmes apparues</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Average alarms per 10 minutes (EEMUA: 1)</source>
        <translation>Moyenne d&apos;alarmes par 10 minutes (EEMUA : 1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak alarms in 10 minutes</source>
        <translation>Pic d&apos;alarmes en 10 minutes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>10-minute periods in flood (more than 10 alarms)</source>
        <translation>Périodes de 10 minutes en avalanche (plus de 10 alarmes)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Most alarms standing at once</source>
        <translation>Alarmes présentes simultanément, au plus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alarms per 10 minutes</source>
        <translation>Alarmes par 10 minutes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Floods</source>
        <translation>Avalanches d&apos;alarmes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No flood in this period.</source>
        <translation>Aucune avalanche d&apos;alarmes sur la période.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start</source>
        <translation>Début</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>End</source>
        <translation>Fin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Length</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak in 10 minutes</source>
        <translation>Pic en 10 minutes</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alarms: time to acknowledge and to return to normal</source>
        <translation>Alarmes : délai d&apos;acquittement et de retour à la normale</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+20"/>
        <source>Alarm</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Raised</source>
        <translation>Apparition</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Acknowledged by</source>
        <translation>Acquittée par</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time to acknowledge</source>
        <translation>Délai d&apos;acquittement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time to return to normal</source>
        <translation>Délai de retour à la normale</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Timeline of alarms and actions</source>
        <translation>Chronologie des alarmes et des actions</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Trends of the key assets</source>
        <translation>Tendances des équipements clés</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alarm on a measured limit in this period.</source>
        <translation>Aucune alarme sur un seuil de mesure sur la période.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{asset}: {metric}, {alarms} alarms</source>
        <translation>{asset} : {metric}, alarmes : {alarms}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dashed lines: the alarm limits crossed in the period.</source>
        <translation>Traits pointillés : les seuils d&apos;alarme franchis sur la période.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Alarm events and operator actions form a hash chain whose head the engine signs every minute with the deployment&apos;s Ed25519 key. A pass proves that every chained record is as the engine stored it, and that none was removed, added or moved since. It does not prove that the key is the deployment&apos;s (compare its fingerprint with the one the deployment publishes), nor anything against the holder of the private key, who can rebuild and sign a chain.</source>
        <translation>Les événements d&apos;alarme et les actions des opérateurs forment une chaîne de hachage dont le moteur signe la tête chaque minute avec la clé Ed25519 du déploiement. Une vérification réussie prouve que chaque enregistrement chaîné est tel que le moteur l&apos;a stocké, et qu&apos;aucun n&apos;a été supprimé, ajouté ou déplacé depuis. Elle ne prouve pas que la clé est celle du déploiement (comparez son empreinte avec celle que publie le déploiement), ni rien contre le détenteur de la clé privée, qui peut reconstruire et signer une chaîne.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Messages refused in the period</source>
        <translation>Messages rejetés sur la période</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
</context>
<context>
    <name>KpiHeader</name>
    <message>
        <location filename="../../hypervisor/console/panels/kpi_header.py" line="+21"/>
        <source>Lighting power</source>
        <translation>Puissance d&apos;éclairage</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Luminaires lit</source>
        <translation>Luminaires allumés</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Buildings out of comfort</source>
        <translation>Bâtiments hors confort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Containers over 80&#xa0;%</source>
        <translation>Conteneurs remplis à plus de 80&#xa0;%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lowest network pressure</source>
        <translation>Pression réseau minimale</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Minimum night flow</source>
        <translation>Débit minimum de nuit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>from {start}:00 to {end}:00</source>
        <translation>de {start} h à {end} h</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>night</source>
        <translation>nuit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>day</source>
        <translation>jour</translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message>
        <location filename="../../widgets/kpi.py" line="+79"/>
        <source>{change} since {period}</source>
        <translation>{change} en {period}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../hypervisor/console/labels.py" line="+17"/>
        <source>{street}, {commune}</source>
        <translation>{street}, {commune}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{place} ({district})</source>
        <translation>{place} (quartier {district})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Lit</source>
        <translation>Allumé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dimming</source>
        <translation>Gradation</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Power</source>
        <translation>Puissance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fault</source>
        <translation>Défaut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mains power</source>
        <translation>Alimentation secteur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voltage</source>
        <translation>Tension</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Occupied</source>
        <translation>Occupé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supply temperature</source>
        <translation>Température de départ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>En marche</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill level</source>
        <translation>Remplissage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Battery</source>
        <translation>Batterie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pressure</source>
        <translation>Pression</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flow</source>
        <translation>Débit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Level</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Free chlorine</source>
        <translation>Chlore libre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turbidity</source>
        <translation>Turbidité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pH</source>
        <translation>pH</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>luminaire</source>
        <translation>luminaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lighting cabinet</source>
        <translation>armoire d&apos;éclairage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>building</source>
        <translation>bâtiment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>boiler</source>
        <translation>chaudière</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>heating substation</source>
        <translation>sous-station de chauffage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>container</source>
        <translation>conteneur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pressure sensor</source>
        <translation>capteur de pression</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>flow meter</source>
        <translation>débitmètre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reservoir</source>
        <translation>réservoir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>water quality probe</source>
        <translation>sonde de qualité d&apos;eau</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>luminaires</source>
        <translation>luminaires</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lighting cabinets</source>
        <translation>armoires d&apos;éclairage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>buildings</source>
        <translation>bâtiments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>boilers</source>
        <translation>chaudières</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>heating substations</source>
        <translation>sous-stations de chauffage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>containers</source>
        <translation>conteneurs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pressure sensors</source>
        <translation>capteurs de pression</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>flow meters</source>
        <translation>débitmètres</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reservoirs</source>
        <translation>réservoirs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>water quality probes</source>
        <translation>sondes de qualité de l&apos;eau</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>acknowledged</source>
        <translation>acquittée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>shelved</source>
        <translation>mise en attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unshelved</source>
        <translation>sortie d&apos;attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>comment</source>
        <translation>commentaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reset</source>
        <translation>réarmée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>taken out of service</source>
        <translation>mise hors service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>returned to service</source>
        <translation>remise en service</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not JSON</source>
        <translation>pas du JSON</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not the expected shape</source>
        <translation>forme inattendue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>value of the wrong type</source>
        <translation>valeur du mauvais type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>value not a finite number</source>
        <translation>valeur non finie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown asset</source>
        <translation>équipement inconnu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>asset in another domain</source>
        <translation>équipement d&apos;un autre domaine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>time in the future</source>
        <translation>heure dans le futur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unreadable time</source>
        <translation>heure illisible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>too large</source>
        <translation>trop volumineux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown topic</source>
        <translation>sujet inconnu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no values</source>
        <translation>aucune valeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>value out of its physical range</source>
        <translation>valeur hors de sa plage physique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unit not declared or unknown</source>
        <translation>unité non déclarée ou inconnue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown state word</source>
        <translation>mot d&apos;état inconnu</translation>
    </message>
</context>
<context>
    <name>ModeBand</name>
    <message>
        <location filename="../../widgets/mode_band.py" line="+21"/>
        <source>LIVE</source>
        <translation>TEMPS RÉEL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>REPLAY</source>
        <translation>REJEU</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TRAINING</source>
        <translation>FORMATION</translation>
    </message>
</context>
<context>
    <name>QuarantineDialog</name>
    <message>
        <location filename="../../hypervisor/console/panels/quarantine.py" line="+23"/>
        <source>Rejected messages</source>
        <translation>Messages rejetés</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No message has been rejected.</source>
        <translation>Aucun message n&apos;a été rejeté.</translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="vanished">Reçu</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Last received</source>
        <translation>Dernière réception</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First received</source>
        <translation>Première réception</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Topic</source>
        <translation>Topic</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payload</source>
        <translation>Charge utile</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>(other assets and topics; last: {topic})</source>
        <translation>(autres équipements et topics ; dernier : {topic})</translation>
    </message>
</context>
<context>
    <name>Refusals</name>
    <message>
        <location filename="../../hypervisor/console/refusals.py" line="+22"/>
        <source>This alarm is no longer known: its rule was removed or changed.</source>
        <translation>Cette alarme n&apos;est plus connue : sa règle a été retirée ou modifiée.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The engine does not know this command.</source>
        <translation>Le moteur ne connaît pas cette commande.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The command names no user; every action must be attributable.</source>
        <translation>La commande ne nomme aucun utilisateur ; chaque action doit être attribuable.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A reason is needed; write it in the comment.</source>
        <translation>Un motif est nécessaire ; écrivez-le dans le commentaire.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The shelving duration is not accepted (at most {hours} h).</source>
        <translation>La durée de mise en attente n&apos;est pas acceptée ({hours} h au plus).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The comment is empty.</source>
        <translation>Le commentaire est vide.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The alarm is out of service; return it to service first.</source>
        <translation>L&apos;alarme est hors service ; remettez-la d&apos;abord en service.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The alarm is back to normal; there is nothing left to do.</source>
        <translation>L&apos;alarme est revenue à la normale ; il n&apos;y a plus rien à faire.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The condition is still active; reset the alarm once it clears.</source>
        <translation>La condition est toujours présente ; réarmez l&apos;alarme une fois qu&apos;elle aura disparu.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The engine could not read the command.</source>
        <translation>Le moteur n&apos;a pas pu lire la commande.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>Refused: {reason}</source>
        <translation>Refusé : {reason}</translation>
    </message>
</context>
<context>
    <name>ReplayControls</name>
    <message>
        <location filename="../../hypervisor/console/replay_controls.py" line="+62"/>
        <source>Replaying {file} (read-only)</source>
        <translation>Rejeu de {file} (lecture seule)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Bookmark</source>
        <translation>Signet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name for {instant}:</source>
        <translation>Nom pour {instant} :</translation>
    </message>
</context>
<context>
    <name>ReplayMenu</name>
    <message>
        <location filename="../../hypervisor/console/replay_menu.py" line="+46"/>
        <source>Replay a period</source>
        <translation>Rejouer une période</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Replay</source>
        <translation>&amp;Rejeu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replay the last hour</source>
        <translation>Rejouer la dernière heure</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Replay this shift</source>
        <translation>Rejouer ce poste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Replay a period…</source>
        <translation>Rejouer une période…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>This console cannot read the historian: start it with --historian FILE.</source>
        <translation>Cette console ne peut pas lire l&apos;historique : lancez-la avec --historian FICHIER.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Replay</source>
        <translation>Rejeu</translation>
    </message>
</context>
<context>
    <name>ResetDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="+34"/>
        <source>Reset latched alarms</source>
        <translation>Réarmer des alarmes verrouillées</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reset</source>
        <translation>Réarmer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset only after the cause was checked on site: the alarm leaves the list.</source>
        <translation>Réarmez seulement après vérification sur place : l&apos;alarme quitte la liste.</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../hypervisor/console/roles.py" line="+20"/>
        <source>operator</source>
        <translation>opérateur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>director</source>
        <translation>directeur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>trainer</source>
        <translation>formateur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>trainee</source>
        <translation>stagiaire</translation>
    </message>
</context>
<context>
    <name>ScorePanel</name>
    <message>
        <location filename="../../hypervisor/console/panels/score.py" line="+18"/>
        <source>Your result appears when the drill ends.</source>
        <translation>Votre résultat s&apos;affiche à la fin de l&apos;exercice.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Expected response</source>
        <translation>Réponse attendue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Response time</source>
        <translation>Temps de réponse</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Score: {percent} %</source>
        <translation>Score : {percent} %</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{s} s</source>
        <translation>{s} s</translation>
    </message>
</context>
<context>
    <name>ShelveDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="-114"/>
        <source>Shelve alarms</source>
        <translation>Mettre des alarmes en attente</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Why, e.g. sensor under repair (ticket 4512)</source>
        <translation>Pourquoi ? p. ex. capteur en réparation (ticket 4512)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Pick a duration or type one: 45, 45 min, 2 h</source>
        <translation>Choisissez une durée ou tapez-la : 45, 45 min, 2 h</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Duration (up to 24 h):</source>
        <translation>Durée (24 h au plus) :</translation>
    </message>
    <message>
        <source>Other…</source>
        <translation type="vanished">Autre…</translation>
    </message>
    <message>
        <source> min</source>
        <translation type="vanished"> min</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Shelve</source>
        <translation>Mettre en attente</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason:</source>
        <translation>Motif :</translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation type="vanished">Durée :</translation>
    </message>
    <message>
        <source>Minutes (up to 24 h):</source>
        <translation type="vanished">Minutes (24 h au plus) :</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../hypervisor/console/sign_in.py" line="+40"/>
        <source>Sign in to the supervision</source>
        <translation>Connexion à la supervision</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Remember my user name</source>
        <translation>Se souvenir de mon identifiant</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Broker:</source>
        <translation>Broker :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User:</source>
        <translation>Utilisateur :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The broker refused {user}: check the user name and password.</source>
        <translation>Le broker a refusé {user} : vérifiez l&apos;identifiant et le mot de passe.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The broker did not answer: {reason}</source>
        <translation>Le broker n&apos;a pas répondu : {reason}</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../../hypervisor/console/panels/status.py" line="+14"/>
        <source>{n} s ago</source>
        <translation>il y a {n} s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} min ago</source>
        <translation>il y a {n} min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} h ago</source>
        <translation>il y a {n} h</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Simulated city</source>
        <translation>Ville simulée</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Show the quarantine: rejected messages and why</source>
        <translation>Afficher la quarantaine : messages rejetés et motifs</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>connected</source>
        <translation>connectée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connecting…</source>
        <translation>connexion en cours…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disconnected — retrying</source>
        <translation>déconnectée — nouvelle tentative</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Source {source}: {state}</source>
        <translation>Source {source} : {state}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Engine: no news yet</source>
        <translation>Moteur : pas encore de nouvelles</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Engine: online, lag unknown</source>
        <translation>Moteur : en ligne, retard inconnu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Engine: online, lag {lag} ms</source>
        <translation>Moteur : en ligne, retard {lag} ms</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Engine: offline</source>
        <translation>Moteur : hors ligne</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Rule file not loaded: {error}</source>
        <translation>Fichier de règles non chargé : {error}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{rate:.0f} msg/s</source>
        <translation>{rate:.0f} msg/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no message yet</source>
        <translation>aucun message reçu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>last message {age}</source>
        <translation>dernier message {age}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} rejected</source>
        <translation>rejetés : {n}</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../widgets/timeline.py" line="+168"/>
        <location line="+74"/>
        <source>Play</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Previous alarm transition (Left)</source>
        <translation>Changement d&apos;alarme précédent (Gauche)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next alarm transition (Right)</source>
        <translation>Changement d&apos;alarme suivant (Droite)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Replay speed</source>
        <translation>Vitesse du rejeu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bookmark…</source>
        <translation>Signet…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Go to a bookmark</source>
        <translation>Aller à un signet</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{start} → {end}</source>
        <translation>{start} → {end}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Bookmarks</source>
        <translation>Signets</translation>
    </message>
</context>
<context>
    <name>TrainerWindow</name>
    <message>
        <location filename="../../hypervisor/training/trainer_window.py" line="+57"/>
        <source>Trainer console — {title}</source>
        <translation>Console du formateur — {title}</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+8"/>
        <source>At</source>
        <translation>À</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Injection</source>
        <translation>Injection</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+130"/>
        <source>to come</source>
        <translation>à venir</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>Trainee</source>
        <translation>Stagiaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trainee / expected response</source>
        <translation>Stagiaire / réponse attendue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Response time</source>
        <translation>Temps de réponse</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A note for the debrief…</source>
        <translation>Une note pour le compte rendu…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add note</source>
        <translation>Ajouter la note</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trainer&apos;s note:</source>
        <translation>Note du formateur :</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Session</source>
        <translation>Session</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Speed</source>
        <translation>Vitesse</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Jump</source>
        <translation>Aller à</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Inject now</source>
        <translation>Injecter maintenant</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>End</source>
        <translation>Terminer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Debrief PDF…</source>
        <translation>Compte rendu PDF…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Write the instant to jump to as +MM:SS or +HH:MM:SS after the start.</source>
        <translation>Écrivez l&apos;instant où aller sous la forme +MM:SS ou +HH:MM:SS après le début.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Debrief PDF</source>
        <translation>Compte rendu PDF</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Debrief written to {path}</source>
        <translation>Compte rendu écrit dans {path}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ready</source>
        <translation>prête</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>en cours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ended</source>
        <translation>terminée</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>done at {at}</source>
        <translation>faite à {at}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>by hand</source>
        <translation>à la main</translation>
    </message>
</context>
<context>
    <name>TrendWidget</name>
    <message>
        <location filename="../../widgets/trend_plot.py" line="+68"/>
        <source>no data yet</source>
        <translation>pas encore de données</translation>
    </message>
    <message>
        <location filename="../../widgets/trend.py" line="+143"/>
        <source>{title}: no data yet</source>
        <translation>{title} : pas encore de données</translation>
    </message>
</context>
<context>
    <name>Trust</name>
    <message>
        <location filename="../../hypervisor/console/trust_text.py" line="+18"/>
        <source>NOT SIGNED IN: the broker refused {user}</source>
        <translation>NON CONNECTÉ : le broker a refusé {user}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>NO CONNECTION to the broker, retrying</source>
        <translation>PAS DE LIAISON avec le broker, nouvelle tentative</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CONNECTING…</source>
        <translation>CONNEXION EN COURS…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ENGINE OFFLINE: no new alarms</source>
        <translation>MOTEUR HORS LIGNE : aucune nouvelle alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ENGINE SILENT: no new alarms</source>
        <translation>MOTEUR MUET : aucune nouvelle alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>EVERY MESSAGE REJECTED: stamped ahead of the engine&apos;s clock, see its log</source>
        <translation>TOUS LES MESSAGES REJETÉS : horodatés en avance sur l&apos;horloge du moteur, voir son journal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>EVERY MESSAGE REJECTED: see the quarantine</source>
        <translation>TOUS LES MESSAGES REJETÉS : voir la quarantaine</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ENGINE {n} s BEHIND: alarms are late</source>
        <translation>MOTEUR EN RETARD DE {n} s : alarmes tardives</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RULE FILE ERROR: {error}</source>
        <translation>ERREUR DE FICHIER DE RÈGLES : {error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>NO NEWS FROM THE ENGINE yet</source>
        <translation>PAS ENCORE DE NOUVELLES DU MOTEUR</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>NO DATA yet</source>
        <translation>AUCUNE DONNÉE pour l&apos;instant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NO DATA since {time}</source>
        <translation>AUCUNE DONNÉE depuis {time}</translation>
    </message>
</context>
</TS>
